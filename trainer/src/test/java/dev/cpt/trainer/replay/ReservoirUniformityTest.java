package dev.cpt.trainer.replay;

import dev.cpt.core.format.TokenSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Algorithm R keeps every offered sequence with the same probability. Seeds are fixed, so these
 * tests are deterministic: the p-value bounds are acceptance thresholds, not a source of flakiness.
 * Both tails are checked: a too-regular result (e.g. round-robin) is as wrong as a biased one.
 */
class ReservoirUniformityTest {

    private static final int ITEMS = 1000;
    private static final int LENGTH = 8;
    private static final int RECORD = Seqs.recordBytes("s", LENGTH, Seqs.VOCAB);
    private static final int CAPACITY = 100;
    private static final int TRIALS = 400;

    @TempDir
    Path dir;

    @Test
    void everyOfferedSequenceIsKeptWithEqualProbability() throws IOException {
        long[] kept = new long[ITEMS];
        for (int trial = 0; trial < TRIALS; trial++) {
            try (ReplayBuffer buffer = ReplayBuffer.create(dir, (long) CAPACITY * RECORD, 1_000 + trial)) {
                for (int i = 0; i < ITEMS; i++) {
                    buffer.offer(Seqs.seq("s", i, LENGTH));
                }
                assertThat(buffer.held()).isEqualTo(CAPACITY);
                for (long slot = 0; slot < CAPACITY; slot++) {
                    kept[(int) buffer.reservoir("s").read(slot).sequence()]++;
                }
            }
        }
        // each trial keeps a uniform 100-subset of 1000: per item Binomial(T, p) with the finite
        // population correction N/(N-1) for the fixed total; the statistic is chi-square(N - 1)
        double p = (double) CAPACITY / ITEMS;
        double[] expected = new double[ITEMS];
        double[] variance = new double[ITEMS];
        Arrays.fill(expected, TRIALS * p);
        Arrays.fill(variance, TRIALS * p * (1 - p) * ITEMS / (ITEMS - 1.0));
        assertThat(Arrays.stream(kept).sum()).isEqualTo((long) TRIALS * CAPACITY);
        double pValue = ChiSquare.pValue(ChiSquare.statistic(kept, expected, variance), ITEMS - 1);
        assertThat(pValue).as("p-value of uniform inclusion").isBetween(0.001, 0.999);
    }

    @Test
    void earlyAndLateHalvesAreKeptEquallyOften() throws IOException {
        long early = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            try (ReplayBuffer buffer = ReplayBuffer.create(dir, (long) CAPACITY * RECORD, 77 + trial)) {
                for (int i = 0; i < ITEMS; i++) {
                    buffer.offer(Seqs.seq("s", i, LENGTH));
                }
                for (long slot = 0; slot < CAPACITY; slot++) {
                    early += buffer.reservoir("s").read(slot).sequence() < ITEMS / 2 ? 1 : 0;
                }
            }
        }
        double half = TRIALS * CAPACITY / 2.0;
        double pValue = ChiSquare.pValue(ChiSquare.statistic(new long[] {early, TRIALS * CAPACITY - early},
                new double[] {half, half}), 1);
        assertThat(pValue).as("p-value of early vs late, early = " + early).isGreaterThan(0.001);
    }

    @Test
    void samplesAreUniformWithinAStreamsReservoir() throws IOException {
        try (ReplayBuffer buffer = ReplayBuffer.create(dir, 50L * RECORD, 5)) {
            for (int i = 0; i < 400; i++) {
                buffer.offer(Seqs.seq("s", i, LENGTH));
            }
            List<TokenSequence> drawn = buffer.sample(20_000);
            Map<Long, Long> counts = new java.util.TreeMap<>();
            drawn.forEach(s -> counts.merge(s.sequence(), 1L, Long::sum));
            assertThat(counts).hasSizeLessThanOrEqualTo(50);
            long[] observed = new long[50];
            int i = 0;
            for (long c : counts.values()) {
                observed[i++] = c;
            }
            double[] expected = new double[50];
            Arrays.fill(expected, 20_000 / 50.0);
            assertThat(ChiSquare.pValue(ChiSquare.statistic(observed, expected), 49)).isBetween(0.001, 0.999);
        }
    }

    @Test
    void theSameSeedKeepsTheSameSequencesAndAnotherSeedOthers() throws IOException {
        assertThat(keptWith(42)).isEqualTo(keptWith(42)).isNotEqualTo(keptWith(43));
    }

    private long[] keptWith(long seed) throws IOException {
        try (ReplayBuffer buffer = ReplayBuffer.create(dir, (long) CAPACITY * RECORD, seed)) {
            for (int i = 0; i < ITEMS; i++) {
                buffer.offer(Seqs.seq("s", i, LENGTH));
            }
            long[] kept = new long[CAPACITY];
            for (int slot = 0; slot < CAPACITY; slot++) {
                kept[slot] = buffer.reservoir("s").read(slot).sequence();
            }
            return kept;
        }
    }
}
