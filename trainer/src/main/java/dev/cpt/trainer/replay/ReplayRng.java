package dev.cpt.trainer.replay;

import java.util.random.RandomGenerator;

/**
 * A seeded random generator whose whole state is one {@code long} that can be read and set, so
 * the replay buffer's decisions resume exactly from a checkpoint. The algorithm is SplitMix64
 * (Steele, Lea and Flood 2014): statistically sound for sampling, and tiny.
 *
 * <p>Why not {@link java.util.Random} or {@link java.util.SplittableRandom}: neither exposes its
 * state, and the JDK is free to change how their bounded methods consume bits. Every method the
 * replay buffer calls ({@link #nextLong(long)}, {@link #nextDouble()}) is defined here, so the
 * values drawn from a given state are pinned by this file and not by the JDK version.
 *
 * <p>Not thread-safe: each stream reservoir and the buffer's sampler own one.
 */
public final class ReplayRng implements RandomGenerator {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    private ReplayRng(long state) {
        this.state = state;
    }

    /** A generator started from {@code seed}; equal seeds give equal streams of values. */
    public static ReplayRng seeded(long seed) {
        return new ReplayRng(seed);
    }

    /** A generator that continues exactly where the one whose {@link #state()} this was stopped. */
    public static ReplayRng fromState(long state) {
        return new ReplayRng(state);
    }

    /**
     * A seed for a named sub-generator (one per stream), so that one stream's reservoir decisions
     * do not depend on how its sequences interleave with other streams' sequences.
     */
    static long derive(long seed, String name) {
        long h = 0xCBF29CE484222325L; // FNV-1a over the UTF-16 units: stable across JVMs, unlike identity hashes
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001B3L;
        }
        return mix(seed ^ mix(h));
    }

    /** The whole state: {@code fromState(rng.state())} continues with the same values as {@code rng}. */
    public long state() {
        return state;
    }

    @Override
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    @Override
    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /** Uniform in {@code [0, bound)}; rejection sampling, so there is no modulo bias. */
    @Override
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0: " + bound);
        }
        long m = bound - 1;
        if ((bound & m) == 0) {
            return nextLong() & m; // a power of two: every bit pattern is equally likely
        }
        // draw 63-bit values; reject the tail that would make small results more likely
        long u = nextLong() >>> 1;
        for (long r = u % bound; u + m - r < 0; r = u % bound) {
            u = nextLong() >>> 1;
        }
        return u % bound;
    }

    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0: " + bound);
        }
        return (int) nextLong(bound);
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
