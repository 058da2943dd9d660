package dev.cpt.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cpt.trainer.predict.LrIntegrals;
import dev.cpt.trainer.predict.Observation;
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
 * @param rewarms every re-warm so far (a new stream appeared, or the main run adopted a wsd-s branch), to rebuild the schedule
 * @param configFingerprint hash of the settings that shape training; a change is logged on resume
 * @param skippedSteps non-finite steps skipped so far
 * @param schedule human-readable schedule, for people reading the checkpoint
 * @param branches when the previous branch was forked, for the triggers and the decay length
 * @param lossLaw the learning-rate integrals and the loss history the loss law is fitted on
 */
public record TrainerState(long step, long tokens, Map<String, Long> tokensPerStream, Map<String, Long> positions,
                           Map<String, Long> heldoutPositions, long mixerSlots, Map<String, Long> model, String tokenizer,
                           List<Rewarm> rewarms, String configFingerprint, long skippedSteps, String schedule,
                           BranchLedger branches, LossHistory lossLaw) {

    /** A re-warm of the main run's schedule: from {@code from} at step {@code at}, linearly over {@code steps}. */
    public record Rewarm(long at, long steps, double from) {
    }

    /**
     * The previous branch (or the start of training when none).
     *
     * @param lastStep the main run's step count after it (wsd: at its fork; wsd-s: after adopting it)
     * @param lastFreshTokens the main run's fresh tokens then
     * @param lastMs wall clock then; 0 = not yet (the time trigger counts from the trainer's start)
     */
    public record BranchLedger(long lastStep, long lastFreshTokens, long lastMs) {
        public static final BranchLedger START = new BranchLedger(0, 0, 0);
    }

    /** The loss law's inputs: the main run's integrals now, the evaluations so far, and the streams their mean is over. */
    public record LossHistory(LrIntegrals integrals, List<Observation> observations, List<String> streams) {
        public LossHistory {
            observations = List.copyOf(observations);
            streams = streams == null ? List.of() : List.copyOf(streams);
        }
    }

    static final String FILE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public TrainerState {
        tokensPerStream = new TreeMap<>(tokensPerStream);
        positions = new TreeMap<>(positions);
        heldoutPositions = new TreeMap<>(heldoutPositions);
        model = new TreeMap<>(model);
        rewarms = List.copyOf(rewarms);
        branches = branches == null ? BranchLedger.START : branches;
        lossLaw = lossLaw == null ? new LossHistory(LrIntegrals.start(), List.of(), List.of()) : lossLaw;
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
