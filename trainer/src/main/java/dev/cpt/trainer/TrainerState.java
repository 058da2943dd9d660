package dev.cpt.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cpt.trainer.data.FeedPosition;
import dev.cpt.trainer.data.SequenceFeed;
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
 * @param positions offset of the {@code cpt.sequences} record holding the next sequence, per partition ("topic:partition")
 * @param skips sequences of that record already trained on, per partition where not 0 (a batch ended inside a
 *              block record); absent from checkpoints written before blocks, and from any taken at record
 *              boundaries (so such a checkpoint is still readable by a trainer from before blocks)
 * @param heldoutPositions offset of the {@code cpt.heldout} record holding the next sequence, per partition
 * @param heldoutSkips sequences of that record already taken, per partition where not 0 (as {@code skips})
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
public record TrainerState(long step, long tokens, Map<String, Long> tokensPerStream,
                           Map<String, Long> positions, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> skips,
                           Map<String, Long> heldoutPositions, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> heldoutSkips,
                           long mixerSlots, Map<String, Long> model, String tokenizer, List<Rewarm> rewarms,
                           String configFingerprint, long skippedSteps, String schedule, BranchLedger branches, LossHistory lossLaw) {

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
        skips = nonZeroSkips(skips, positions, "positions");
        heldoutPositions = new TreeMap<>(heldoutPositions);
        heldoutSkips = nonZeroSkips(heldoutSkips, heldoutPositions, "heldoutPositions");
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

    /**
     * The non-zero skips, each of a partition that has a position: null (a checkpoint from before
     * blocks) is no skip anywhere; a skip without a position cannot be resumed from.
     */
    private static Map<String, Integer> nonZeroSkips(Map<String, Integer> skips, Map<String, Long> positions, String name) {
        Map<String, Integer> out = new TreeMap<>();
        if (skips != null) {
            skips.forEach((k, skip) -> {
                if (skip == null || skip < 0 || !positions.containsKey(k)) {
                    throw new IllegalArgumentException("skip " + skip + " of partition " + k + ": a skip is at least 0 and"
                            + " belongs to a partition of " + name + " " + positions);
                }
                if (skip > 0) {
                    out.put(k, skip);
                }
            });
        }
        return out;
    }

    /** Where the {@code cpt.sequences} feed resumes. */
    public Map<TopicPartition, FeedPosition> feedPositions() {
        return decode(positions, skips);
    }

    /** Where the {@code cpt.heldout} feed resumes. */
    public Map<TopicPartition, FeedPosition> heldoutFeedPositions() {
        return decode(heldoutPositions, heldoutSkips);
    }

    /** "topic:partition", the key of every map of positions here. */
    static String key(TopicPartition tp) {
        return tp.topic() + ":" + tp.partition();
    }

    /** The record offsets of {@code positions}, by {@link #key}: a {@code positions} map. */
    static Map<String, Long> offsets(Map<TopicPartition, FeedPosition> positions) {
        Map<String, Long> out = new TreeMap<>();
        positions.forEach((tp, p) -> out.put(key(tp), p.offset()));
        return out;
    }

    /** The non-zero skips of {@code positions}, by {@link #key}: a {@code skips} map. */
    static Map<String, Integer> skipsOf(Map<TopicPartition, FeedPosition> positions) {
        Map<String, Integer> out = new TreeMap<>();
        positions.forEach((tp, p) -> {
            if (p.skip() > 0) {
                out.put(key(tp), p.skip());
            }
        });
        return out;
    }

    static Map<TopicPartition, FeedPosition> decode(Map<String, Long> offsets, Map<String, Integer> skips) {
        Map<TopicPartition, FeedPosition> out = new TreeMap<>(SequenceFeed.PARTITION_ORDER);
        offsets.forEach((k, off) -> {
            int colon = k.lastIndexOf(':');
            out.put(new TopicPartition(k.substring(0, colon), Integer.parseInt(k.substring(colon + 1))),
                    new FeedPosition(off, skips.getOrDefault(k, 0)));
        });
        return out;
    }
}
