package dev.cpt.ingest.demo;

import java.util.List;

/**
 * SplitMix64 (Steele, Lea, Flood 2014), written out here rather than borrowed from the JDK: the
 * demo promises byte-identical documents for a seed on every JVM and release, and only an
 * algorithm we own can keep that promise. Not thread-safe; one instance per document.
 */
final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** The SplitMix64 finalizer: a bijection on longs that scatters nearby inputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, bound): multiply-shift on the top 32 bits; its bias (< 2^-32 * bound) is irrelevant here. */
    int below(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [low, high], both inclusive. */
    int between(int low, int high) {
        return low + below(high - low + 1);
    }

    boolean chance(double probability) {
        return (nextLong() >>> 11) * 0x1.0p-53 < probability;
    }

    <T> T pick(List<T> items) {
        return items.get(below(items.size()));
    }
}
