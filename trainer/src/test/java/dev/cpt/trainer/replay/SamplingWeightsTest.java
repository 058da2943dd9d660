package dev.cpt.trainer.replay;

import dev.cpt.core.format.TokenSequence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Which streams a sample draws from follows the mixing weights; by default, the sequences held. */
class SamplingWeightsTest {

    private static final int DRAWS = 20_000;
    private static final int RECORD = Seqs.recordBytes("a", 8, Seqs.VOCAB);

    @TempDir
    Path dir;
    private ReplayBuffer buffer;

    @BeforeEach
    void fill() throws IOException {
        buffer = ReplayBuffer.create(dir, 50L * RECORD, 11); // 50 sequences per stream
        for (int i = 0; i < 200; i++) {
            buffer.offer(Seqs.seq("a", i, 8));
            buffer.offer(Seqs.seq("b", i, 8));
            buffer.offer(Seqs.seq("c", i, 8));
        }
        for (int i = 0; i < 10; i++) {
            buffer.offer(Seqs.seq("d", i, 8)); // a young stream: holds 10
        }
    }

    @AfterEach
    void close() throws IOException {
        buffer.close();
    }

    @Test
    void drawsFromStreamsInProportionToTheirWeights() {
        Map<String, Long> counts = perStream(buffer.sample(DRAWS, Map.of("a", 7.0, "b", 2.0, "c", 1.0, "unknown", 5.0)));
        assertThat(counts).containsOnlyKeys("a", "b", "c"); // d has no weight; "unknown" holds nothing
        assertFits(counts, Map.of("a", 0.7, "b", 0.2, "c", 0.1));
    }

    @Test
    void withoutWeightsDrawsInProportionToTheSequencesHeld() {
        Map<String, Long> counts = perStream(buffer.sample(DRAWS));
        assertFits(counts, Map.of("a", 50 / 160.0, "b", 50 / 160.0, "c", 50 / 160.0, "d", 10 / 160.0));
    }

    @Test
    void aCallersGeneratorGivesTheSameDrawsForTheSameSeedAndLeavesTheBuffersOwnAlone() {
        List<TokenSequence> x = buffer.sample(100, Map.of(), new Random(5));
        List<TokenSequence> y = buffer.sample(100, Map.of(), new Random(5));
        assertThat(x).isEqualTo(y);
        assertFits(perStream(buffer.sample(DRAWS, Map.of("b", 1.0, "c", 1.0), new Random(6))), Map.of("b", 0.5, "c", 0.5));
    }

    @Test
    void canSampleOnlyWhenAHeldStreamHasAPositiveWeight(@TempDir Path other) throws IOException {
        assertThat(buffer.canSample(Map.of())).isTrue();
        assertThat(buffer.canSample(Map.of("d", 0.5))).isTrue();
        assertThat(buffer.canSample(Map.of("a", 0.0, "unknown", 1.0))).isFalse();
        try (ReplayBuffer empty = ReplayBuffer.create(other, 1_000, 0)) {
            assertThat(empty.canSample(Map.of())).isFalse();
            assertThat(Mixer.defaults().split(100, empty.canSample(Map.of())).replay()).isZero();
        }
    }

    private static Map<String, Long> perStream(List<TokenSequence> drawn) {
        Map<String, Long> counts = new TreeMap<>();
        drawn.forEach(s -> counts.merge(s.stream(), 1L, Long::sum));
        return counts;
    }

    /** Chi-square goodness of fit of the counts to the expected shares, p > 0.001 (seeds are fixed). */
    private static void assertFits(Map<String, Long> counts, Map<String, Double> shares) {
        assertThat(counts).containsOnlyKeys(shares.keySet());
        List<String> keys = List.copyOf(new TreeMap<>(shares).keySet());
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long[] observed = keys.stream().mapToLong(counts::get).toArray();
        double[] expected = keys.stream().mapToDouble(k -> shares.get(k) * total).toArray();
        double p = ChiSquare.pValue(ChiSquare.statistic(observed, expected), keys.size() - 1);
        assertThat(p).as("fit of %s to %s", counts, shares).isGreaterThan(0.001);
    }
}
