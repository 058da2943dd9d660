package dev.cpt.trainer.eval;

import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The frozen held-out eval set of each stream: the first {@code perStream} sequences of that stream
 * seen on the held-out topic. Once a stream's set is full it never changes, so its loss is
 * comparable across the whole life of the model; the sets travel inside every checkpoint.
 */
public final class EvalSets {

    private static final String FILE = "eval-sets.bin";

    private final int perStream;
    private final Map<String, List<TokenSequence>> sets = new TreeMap<>();

    public EvalSets(int perStream) {
        if (perStream < 1) {
            throw new IllegalArgumentException("eval sequences per stream must be >= 1: " + perStream);
        }
        this.perStream = perStream;
    }

    /**
     * A copy that later offers to this one do not change: a branch evaluates on the sets as they
     * were at its fork, so that its loss compares with the main run's loss at the fork.
     */
    public EvalSets snapshot() {
        EvalSets copy = new EvalSets(perStream);
        sets.forEach((k, v) -> copy.sets.put(k, new ArrayList<>(v)));
        return copy;
    }

    /** Adds {@code s} if its stream's set is not full yet; returns whether it was taken. */
    public boolean offer(TokenSequence s) {
        List<TokenSequence> set = sets.computeIfAbsent(s.stream(), k -> new ArrayList<>());
        if (set.size() >= perStream) {
            return false;
        }
        set.add(s);
        return true;
    }

    /** Streams with at least one eval sequence, sorted. */
    public List<String> streams() {
        return List.copyOf(sets.keySet());
    }

    public List<TokenSequence> of(String stream) {
        return Collections.unmodifiableList(sets.getOrDefault(stream, List.of()));
    }

    public int size(String stream) {
        return sets.getOrDefault(stream, List.of()).size();
    }

    /** Writes the sets into a checkpoint folder: count, then length-prefixed TokenSequence records. */
    public void save(Path dir) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve(FILE))))) {
            out.writeInt(perStream);
            int n = sets.values().stream().mapToInt(List::size).sum();
            out.writeInt(n);
            for (List<TokenSequence> set : sets.values()) {
                for (TokenSequence s : set) {
                    byte[] b = TokenSequenceSerde.encode(s);
                    out.writeInt(b.length);
                    out.write(b);
                }
            }
        }
    }

    /** Reads the sets of a checkpoint folder; a folder without them gives empty sets of {@code perStream}. */
    public static EvalSets load(Path dir, int perStream) throws IOException {
        EvalSets sets = new EvalSets(perStream);
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return sets;
        }
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f)))) {
            in.readInt(); // the size they were collected with: a larger configured size keeps collecting
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                TokenSequence s = TokenSequenceSerde.decode(b);
                sets.sets.computeIfAbsent(s.stream(), k -> new ArrayList<>()).add(s);
            }
        }
        return sets;
    }
}
