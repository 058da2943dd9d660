package dev.cpt.trainer.replay;

import dev.cpt.core.format.StreamId;
import dev.cpt.core.format.TokenSequence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The replay buffer: one disk-backed reservoir per stream, filled by {@link #offer} with the fresh
 * sequences the trainer sees, drawn from by {@link #sample} to mix old sequences into a batch.
 *
 * <p><b>Bounded.</b> Each stream's reservoir holds at most {@code capacityBytesPerStream / record}
 * sequences, where a record is the {@code TokenSequence} encoding of one of the stream's sequences
 * (all of a stream's sequences have the same length and tokenizer, so the same size). Its slot
 * file ({@code <workDir>/<stream>.slots}) never exceeds {@code capacityBytesPerStream}; the heap
 * holds a few fields per stream, whatever the capacity.
 *
 * <p><b>Reproducible.</b> Every random decision comes from a {@link ReplayRng} derived from the
 * seed: one per stream for reservoir decisions (so a stream's reservoir does not depend on how
 * streams interleave) and one for {@link #sample(int)}. Their states are saved by
 * {@link #checkpoint}, and {@link #restore} continues exactly: given the same offers and sample
 * calls, a restored buffer keeps and returns the same sequences as the original would have.
 *
 * <p><b>Durable only at checkpoints.</b> Slot files are written in place without fsync: after a
 * crash the next start restores from the last checkpoint anyway. Not thread-safe (the training
 * loop is one thread); the work directory is locked ({@code replay.lock}) against a second buffer.
 */
public final class ReplayBuffer implements AutoCloseable {

    /** The state file of a checkpoint directory; written last, so its presence marks a complete one. */
    public static final String STATE_FILE = "replay.state";
    /** Suffix of the slot files, in the work directory and in a checkpoint: {@code <stream>.slots}. */
    public static final String SLOTS_SUFFIX = ".slots";
    private static final String LOCK_FILE = "replay.lock";

    private final Path workDir;
    private final long capacityBytes;
    private final long seed;
    private final ReplayRng sampler;
    private final TreeMap<String, StreamReservoir> streams = new TreeMap<>(); // id order: iteration must not depend on hashing
    private final FileChannel lock;

    private ReplayBuffer(Path workDir, long capacityBytes, long seed, ReplayRng sampler) throws IOException {
        this.workDir = workDir;
        this.capacityBytes = capacityBytes;
        this.seed = seed;
        this.sampler = sampler;
        Files.createDirectories(workDir);
        this.lock = WorkDirs.lock(workDir.resolve(LOCK_FILE));
    }

    /**
     * An empty buffer whose slot files live in {@code workDir} (created if missing). Slot files left
     * there by an earlier run are deleted: working files never outlive their process in meaning,
     * only checkpoints do.
     *
     * @param capacityBytesPerStream the most bytes one stream's reservoir may occupy; 0 keeps nothing
     * @param seed the seed of every random decision of the buffer
     */
    public static ReplayBuffer create(Path workDir, long capacityBytesPerStream, long seed) throws IOException {
        Objects.requireNonNull(workDir, "workDir");
        if (capacityBytesPerStream < 0) {
            throw new IllegalArgumentException("replay capacity per stream must be >= 0 bytes: " + capacityBytesPerStream);
        }
        ReplayBuffer b = new ReplayBuffer(workDir, capacityBytesPerStream, seed, ReplayRng.seeded(ReplayRng.derive(seed, "sample")));
        WorkDirs.deleteSlotFiles(workDir, SLOTS_SUFFIX);
        return b;
    }

    /**
     * The buffer saved by {@link #checkpoint} into {@code checkpointDir}, continuing exactly where it
     * stood, with its working files in {@code workDir}. Capacity and seed are the checkpoint's.
     * Every slot file in {@code workDir} is deleted first (it may be ahead of the checkpoint, or
     * belong to a stream first seen after it); each of the checkpoint's slot files is then copied in.
     * The checkpoint itself is only read: it can be restored again, any number of times.
     *
     * @throws IOException when the checkpoint is missing, damaged or incomplete (the message names the file)
     * @throws IllegalArgumentException when {@code workDir} is {@code checkpointDir}
     */
    public static ReplayBuffer restore(Path checkpointDir, Path workDir) throws IOException {
        Objects.requireNonNull(workDir, "workDir");
        ReplayState state = ReplayState.read(checkpointDir.resolve(STATE_FILE));
        if (WorkDirs.same(checkpointDir, workDir)) {
            throw new IllegalArgumentException("the replay work directory must not be the checkpoint directory " + checkpointDir
                    + ": working files are overwritten in place, a checkpoint must stay as written");
        }
        ReplayBuffer b = new ReplayBuffer(workDir, state.capacityBytes(), state.seed(), ReplayRng.fromState(state.samplerState()));
        try {
            WorkDirs.deleteSlotFiles(workDir, SLOTS_SUFFIX);
            for (ReplayState.StreamState s : state.streams()) {
                Path slots = workDir.resolve(s.stream() + SLOTS_SUFFIX);
                if (!Files.isRegularFile(checkpointDir.resolve(slots.getFileName()))) {
                    throw new IOException("replay checkpoint " + checkpointDir + " lacks " + slots.getFileName() + ", which its state file names");
                }
                Files.copy(checkpointDir.resolve(slots.getFileName()), slots, StandardCopyOption.REPLACE_EXISTING);
                b.streams.put(s.stream(), StreamReservoir.open(slots, s, state.capacityBytes(), state.seed()));
            }
            return b;
        } catch (IOException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    /**
     * Offers a fresh sequence to its stream's reservoir (Algorithm R): while the reservoir is not
     * full it is kept; afterwards the {@code n}-th sequence of the stream is kept with probability
     * {@code capacity / n}, replacing a uniformly chosen held one.
     *
     * @return whether {@code s} was written to the reservoir
     * @throws IllegalArgumentException when the stream id is invalid, when {@code s} differs in length
     *     or tokenizer from the stream's earlier sequences, or when one sequence exceeds the capacity
     */
    public boolean offer(TokenSequence s) {
        Objects.requireNonNull(s, "sequence");
        if (!StreamId.isValid(s.stream())) {
            throw new IllegalArgumentException("stream id '" + s.stream() + "' does not match " + StreamId.RULE); // it names a file
        }
        if (capacityBytes == 0) {
            return false;
        }
        try {
            StreamReservoir r = streams.get(s.stream());
            if (r == null) {
                r = StreamReservoir.open(workDir.resolve(s.stream() + SLOTS_SUFFIX), StreamReservoir.fresh(s), capacityBytes, seed);
                streams.put(s.stream(), r);
            }
            return r.offer(s);
        } catch (IOException e) {
            throw new UncheckedIOException("replay buffer: cannot write a slot of stream '" + s.stream() + "' in " + workDir, e);
        }
    }

    /** {@code n} sequences drawn with the buffer's own (checkpointed) generator and the default weights. */
    public List<TokenSequence> sample(int n) {
        return sample(n, Map.of(), sampler);
    }

    /** {@code n} sequences drawn with the buffer's own (checkpointed) generator and the given weights. */
    public List<TokenSequence> sample(int n, Map<String, Double> weights) {
        return sample(n, weights, sampler);
    }

    /**
     * Draws {@code n} sequences independently (with replacement): for each, a stream with probability
     * proportional to its weight, then a uniformly chosen sequence of that stream's reservoir.
     *
     * <p>Weights: an empty map means each stream weighs the number of sequences it holds, i.e. every
     * held sequence is equally likely. That default keeps a young stream with a few sequences from
     * having them replayed over and over, and gives full reservoirs (same bytes, same sequence size)
     * equal shares. A non-empty map is the whole policy: a stream it does not name is not replayed,
     * and a named stream the buffer does not hold (yet) is ignored. Weights need not sum to 1.
     *
     * @param weights per-stream mixing weights, each finite and {@code >= 0}; empty for the default
     * @param rng the source of randomness; pass the trainer's checkpointed generator for exact resume
     * @throws IllegalArgumentException for {@code n < 0} or an invalid weight
     * @throws IllegalStateException when {@code n > 0} and no held stream has a positive weight
     *     (in particular when the buffer is empty: check {@link #isEmpty()} first)
     */
    public List<TokenSequence> sample(int n, Map<String, Double> weights, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng");
        if (n < 0) {
            throw new IllegalArgumentException("cannot sample a negative number of sequences: " + n);
        }
        List<StreamReservoir> from = new ArrayList<>();
        List<Double> cumulative = new ArrayList<>();
        double total = eligible(weights, from, cumulative);
        if (n == 0) {
            return List.of();
        }
        if (from.isEmpty()) {
            throw new IllegalStateException(isEmpty() ? "the replay buffer is empty: nothing to sample (a Mixer gives 0 replay slots then)"
                    : "no stream to replay from: the weights " + weights + " give 0 to every stream the buffer holds " + streams.keySet());
        }
        List<TokenSequence> out = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                double u = rng.nextDouble() * total;
                int k = 0;
                while (k < from.size() - 1 && u >= cumulative.get(k)) { // the last stream also catches u == total from rounding
                    k++;
                }
                StreamReservoir r = from.get(k);
                out.add(r.read(rng.nextLong(r.held())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("replay buffer: cannot read a slot in " + workDir, e);
        }
        return out;
    }

    /**
     * Whether {@link #sample(int, Map)} with these weights can draw: some held stream has a positive
     * weight. Pass it to {@link Mixer#split} so a batch never asks for replay that cannot be drawn.
     */
    public boolean canSample(Map<String, Double> weights) {
        return eligible(weights, new ArrayList<>(), new ArrayList<>()) > 0;
    }

    /** Validates the weights; fills the streams to draw from (id order) and their running weight sums; returns the total. */
    private double eligible(Map<String, Double> weights, List<StreamReservoir> from, List<Double> cumulative) {
        Objects.requireNonNull(weights, "weights");
        weights.forEach((stream, w) -> {
            if (stream == null || w == null || !Double.isFinite(w) || w < 0) {
                throw new IllegalArgumentException("replay weight of stream '" + stream + "' must be a finite number >= 0: " + w);
            }
        });
        double total = 0;
        for (Map.Entry<String, StreamReservoir> e : streams.entrySet()) {
            double w = weights.isEmpty() ? e.getValue().held() : weights.getOrDefault(e.getKey(), 0.0);
            if (w > 0 && e.getValue().held() > 0) {
                total += w;
                from.add(e.getValue());
                cumulative.add(total);
            }
        }
        return total;
    }

    /**
     * Writes a consistent snapshot into {@code dir} (created if missing): a copy of every slot file,
     * then {@code replay.state}, each forced to disk, and the directory itself. Copies, not hard
     * links: the working files are overwritten in place after this returns, and a hard link would
     * carry those writes into the checkpoint. Slot files in {@code dir} of streams the buffer does
     * not hold are deleted so that the directory is exactly this snapshot.
     */
    public void checkpoint(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Files.createDirectories(dir);
        if (WorkDirs.same(dir, workDir)) {
            throw new IllegalArgumentException("cannot checkpoint the replay buffer into its own work directory " + workDir);
        }
        Files.deleteIfExists(dir.resolve(STATE_FILE)); // an interrupted rewrite must not look complete
        WorkDirs.deleteSlotFiles(dir, SLOTS_SUFFIX);
        List<ReplayState.StreamState> states = new ArrayList<>();
        for (StreamReservoir r : streams.values()) {
            ReplayState.StreamState s = r.state();
            r.copyTo(dir.resolve(s.stream() + SLOTS_SUFFIX));
            states.add(s);
        }
        new ReplayState(capacityBytes, seed, sampler.state(), states).write(dir.resolve(STATE_FILE));
        WorkDirs.fsyncDirectory(dir);
    }

    /** Whether no stream holds a sequence: then there is nothing to replay and a batch is all fresh. */
    public boolean isEmpty() {
        return held() == 0;
    }

    /** Sequences held, all streams together. */
    public long held() {
        return streams.values().stream().mapToLong(StreamReservoir::held).sum();
    }

    /** Per stream, in stream id order: what its reservoir has seen and holds. */
    public Map<String, StreamStats> streams() {
        Map<String, StreamStats> out = new LinkedHashMap<>();
        streams.forEach((id, r) -> out.put(id, r.stats()));
        return out;
    }

    /** The reservoir of {@code stream}, or null; for tests that inspect slots directly. */
    StreamReservoir reservoir(String stream) {
        return streams.get(stream);
    }

    public long capacityBytesPerStream() {
        return capacityBytes;
    }

    /** Closes the slot files and releases the work directory; the files stay (a later create or restore deletes them). */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (StreamReservoir r : streams.values()) {
            try {
                r.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        lock.close(); // releases the lock
        if (first != null) {
            throw first;
        }
    }
}
