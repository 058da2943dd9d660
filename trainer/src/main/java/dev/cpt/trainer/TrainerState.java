package dev.cpt.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything about the main run that is not a tensor, as written to {@code state.json} in each
 * checkpoint. With the weights, the optimizer state, the replay buffer and the eval sets beside it,
 * this is enough to continue exactly where the checkpoint was taken.
 *
 * @param step optimizer steps taken (skipped steps included: the schedule position)
 * @param tokens tokens trained on, fresh and replayed
 * @param tokensPerStream fresh tokens trained on, by stream
 * @param positions next offset of {@code cpt.sequences} per partition ("topic:partition")
 * @param heldoutPositions next offset of {@code cpt.heldout} per partition
 * @param mixerSlots the replay mixer's batch-slot count (its whole state)
 * @param model model configuration: vocabSize, context, dModel, heads, layers, mlpRatio, seed
 * @param tokenizer tokenizer id of the data the model is trained on
 * @param rewarms steps at which a re-warm started (a new stream appeared), to rebuild the schedule
 * @param configFingerprint hash of the settings that shape training; a change is logged on resume
 * @param skippedSteps non-finite steps skipped so far
 * @param schedule human-readable schedule, for people reading the checkpoint
 */
public record TrainerState(long step, long tokens, Map<String, Long> tokensPerStream, Map<String, Long> positions,
                           Map<String, Long> heldoutPositions, long mixerSlots, Map<String, Long> model, String tokenizer,
                           List<Long> rewarms, String configFingerprint, long skippedSteps, String schedule) {

    static final String FILE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public TrainerState {
        tokensPerStream = new TreeMap<>(tokensPerStream);
        positions = new TreeMap<>(positions);
        heldoutPositions = new TreeMap<>(heldoutPositions);
        model = new TreeMap<>(model);
        rewarms = List.copyOf(rewarms);
    }

    public void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve(FILE).toFile(), this);
    }

    public static TrainerState read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            throw new IOException("checkpoint " + dir + " has no " + FILE);
        }
        return JSON.readValue(f.toFile(), TrainerState.class);
    }

    static Map<String, Long> encode(Map<TopicPartition, Long> positions) {
        Map<String, Long> out = new TreeMap<>();
        positions.forEach((tp, off) -> out.put(tp.topic() + ":" + tp.partition(), off));
        return out;
    }

    static Map<TopicPartition, Long> decode(Map<String, Long> positions) {
        Map<TopicPartition, Long> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        positions.forEach((k, off) -> {
            int colon = k.lastIndexOf(':');
            out.put(new TopicPartition(k.substring(0, colon), Integer.parseInt(k.substring(colon + 1))), off);
        });
        return out;
    }
}
