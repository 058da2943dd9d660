package dev.cpt.core.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cpt.core.format.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code manifest.json}: what a published checkpoint is, how it was made and how good it is. The
 * registry serves it as is; {@code cpt pull} checks every file against {@link #files()}.
 *
 * @param formatVersion 1
 * @param id checkpoint id ({@link StoreLayout})
 * @param kind main or decayed
 * @param mode the main run's branch mode (wsd or wsd-s) when the checkpoint was made
 * @param createdMs wall clock when it was written
 * @param step optimizer steps behind these weights (for a branch: fork step + decay steps)
 * @param tokens tokens trained on behind these weights (fresh and replayed)
 * @param tokensPerStream fresh tokens behind these weights, by stream (a branch's decay data included)
 * @param parentMainStep the main run's step at the fork (for a main checkpoint: its own step)
 * @param decay how the branch decayed; null for a main checkpoint
 * @param model model configuration (vocabSize, context, dModel, heads, layers, mlpRatio, seed)
 * @param tokenizer tokenizer id of the data (e.g. {@code byte-v1})
 * @param vocabSize vocabulary size of the tokenizer
 * @param evalLoss mean held-out loss per stream, nats per token, on the frozen eval sets
 * @param mainEvalLossAtFork the main run's held-out loss per stream at the fork; null for a main checkpoint
 * @param predictedLoss the loss law's prediction of the mean eval loss, made before the branch ran; null when none
 * @param predictionNote why there is no prediction, or how it was made
 * @param files every other file of the checkpoint with its size and SHA-256
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Manifest(int formatVersion, String id, Kind kind, String mode, long createdMs, long step, long tokens,
                       Map<String, Long> tokensPerStream, long parentMainStep, Decay decay, Map<String, Long> model,
                       String tokenizer, int vocabSize, Map<String, Double> evalLoss, Map<String, Double> mainEvalLossAtFork,
                       Double predictedLoss, String predictionNote, List<FileEntry> files) {

    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper PRETTY = Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    /** Main checkpoints of the main run, or decayed branches. */
    public enum Kind {
        MAIN, DECAYED;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code main} or {@code decayed}; anything else is an IllegalArgumentException naming what is allowed. */
        public static Kind of(String word) {
            for (Kind k : values()) {
                if (k.word().equals(word)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("kind must be main or decayed, got '" + word + "'");
        }
    }

    /**
     * A branch's decay.
     *
     * @param shape decay shape word (e.g. one-minus-sqrt)
     * @param steps decay steps
     * @param floor end learning rate as a fraction of {@code lrAtFork}
     * @param lrAtFork the main run's learning rate at the fork
     * @param data what the decay trained on: upcoming, replay, or mix:stream:weight,...
     * @param tokens tokens the decay trained on
     * @param seconds wall time of the decay steps
     * @param skippedSteps decay steps whose update was skipped for a non-finite loss or gradient
     */
    public record Decay(String shape, long steps, double floor, double lrAtFork, String data, long tokens, double seconds,
                        long skippedSteps) {

        public Decay(String shape, long steps, double floor, double lrAtFork, String data, long tokens, double seconds) {
            this(shape, steps, floor, lrAtFork, data, tokens, seconds, 0);
        }
    }

    public Manifest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        tokensPerStream = new TreeMap<>(tokensPerStream);
        model = new TreeMap<>(model);
        evalLoss = new TreeMap<>(evalLoss);
        mainEvalLossAtFork = mainEvalLossAtFork == null ? null : new TreeMap<>(mainEvalLossAtFork);
        files = List.copyOf(files);
    }

    /** The mean of {@link #evalLoss()} over streams, NaN when there is none. */
    public double meanEvalLoss() {
        return mean(evalLoss);
    }

    /** The mean loss over streams (each stream counts once), NaN for none: the one number a branch is judged and predicted by. */
    public static double mean(Map<String, Double> lossPerStream) {
        return lossPerStream.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    public Manifest withFiles(List<FileEntry> files) {
        return new Manifest(formatVersion, id, kind, mode, createdMs, step, tokens, tokensPerStream, parentMainStep, decay,
                model, tokenizer, vocabSize, evalLoss, mainEvalLossAtFork, predictedLoss, predictionNote, files);
    }

    public byte[] toJson() {
        try {
            return PRETTY.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write manifest " + id, e);
        }
    }

    /** Writes {@code dir/manifest.json} (the caller makes the folder visible atomically). */
    public void write(Path dir) throws IOException {
        Files.write(dir.resolve(StoreLayout.MANIFEST), toJson());
    }

    public static Manifest read(Path dir) throws IOException {
        return parse(Files.readAllBytes(dir.resolve(StoreLayout.MANIFEST)));
    }

    public static Manifest parse(byte[] json) throws IOException {
        // the version first: another format may have other fields or kinds, and must fail as "another version"
        JsonNode tree = Json.MAPPER.readTree(json);
        int version = tree.path("formatVersion").asInt(0);
        if (version != FORMAT_VERSION) {
            throw new IOException("manifest " + tree.path("id").asText("?") + " has format version " + version
                    + "; this cpt reads " + FORMAT_VERSION);
        }
        return Json.MAPPER.treeToValue(tree, Manifest.class);
    }
}
