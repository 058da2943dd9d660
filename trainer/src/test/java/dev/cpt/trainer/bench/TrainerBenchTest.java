package dev.cpt.trainer.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrainerBenchTest {

    @Test
    void smokeRunOnTheTinyPresetGivesSaneFiguresWithoutTheReference() {
        TrainerBench.Options options = TrainerBench.Options.defaults().withBatch(2).withSteps(1, 4).withThreads(1)
                .withMatmulN(256).withReference(false).withRssSteps(List.of(2L, 5L));
        List<String> progress = new ArrayList<>();

        TrainerBenchResult r = TrainerBench.run(options, progress::add);

        assertThat(r.config().dModel()).isEqualTo(64);
        assertThat(r.config().context()).isEqualTo(64);
        assertThat(r.config().vocabSize()).isEqualTo(TrainerBench.VOCAB);
        Throughput t = r.ours();
        assertThat(t.steps()).isEqualTo(4);
        assertThat(t.tokensPerSecond()).isPositive().isFinite();
        assertThat(t.msPerStep()).isPositive();
        assertThat(t.tokensPerSecond()).isCloseTo(2 * 64 * 1000 / t.msPerStep(), within(t.tokensPerSecond() * 1e-6));
        assertThat(t.forwardMs()).isPositive();
        assertThat(t.backwardMs()).isPositive();
        assertThat(t.optimizerMs()).isPositive();
        assertThat(t.dataMs()).isNotNegative();
        assertThat(t.dataMs() + t.forwardMs() + t.backwardMs() + t.optimizerMs()).isLessThanOrEqualTo(t.msPerStep() * 1.001);
        // uniform random bytes: the initial model predicts about uniformly, ln 259 = 5.557
        assertThat(t.lossFirst()).isCloseTo(Math.log(259), within(0.05));
        assertThat(t.lossLast()).isFinite();

        assertThat(r.matmulFlops()).isGreaterThan(1e8);
        assertThat(r.flopsPerToken()).isEqualTo(r.config().flopsPerToken(64));
        assertThat(r.achievedFlops()).isCloseTo(t.tokensPerSecond() * r.flopsPerToken(), within(1.0));
        assertThat(r.flopsFraction()).isPositive().isFinite();
        assertThat(r.ratio()).isNaN();
        assertThat(r.reference().status()).isEqualTo(TrainerBenchResult.Status.SKIPPED);

        assertThat(r.rss()).extracting(RssMark::step).containsExactly(2L, 5L);
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertThat(r.rss()).allSatisfy(m -> assertThat(m.rssKb()).isGreaterThan(10_000));
            assertThat(r.rssGrowthPercent()).isFinite();
            assertThat(r.rss()).allSatisfy(m -> assertThat(m.heapResidentKb()).isPositive().isLessThan(m.rssKb()));
            assertThat(r.nonHeapGrowthPercent()).isFinite();
            assertThat(r.oursPeakRssKb()).isGreaterThanOrEqualTo(r.rss().get(1).rssKb());
        }

        List<String> lines = r.lines();
        assertThat(lines.get(lines.size() - 1)).matches("trainer_vs_pytorch_eager=n/a flops_fraction=\\d+\\.\\d{2}")
                .isEqualTo(r.lastLine());
        assertThat(String.join("\n", lines)).contains("reference: skipped").contains("rss_growth=");
        assertThat(progress).isNotEmpty();
    }

    @Test
    void rejectsBadOptions() {
        TrainerBench.Options d = TrainerBench.Options.defaults();
        assertThatThrownBy(() -> d.withPreset("huge")).hasMessageContaining("huge");
        assertThatThrownBy(() -> d.withBatch(0)).hasMessageContaining("--batch");
        assertThatThrownBy(() -> d.withSteps(0, 0)).hasMessageContaining("--steps");
        assertThatThrownBy(() -> d.withThreads(0)).hasMessageContaining("--threads");
        assertThatThrownBy(() -> d.withRssSteps(List.of(10L, 10L))).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> d.withRssSteps(List.of(0L))).hasMessageContaining("--rss-steps");
    }

    @Test
    void randomBatchesAreReproducibleAndInTheVocabulary() {
        List<int[][]> a = TrainerBench.randomBatches(42, 3, 2, 8, 259);
        List<int[][]> b = TrainerBench.randomBatches(42, 3, 2, 8, 259);
        assertThat(a).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(a.get(i)).isDeepEqualTo(b.get(i));
            for (int[] row : a.get(i)) {
                assertThat(row).hasSize(9);
                assertThat(java.util.Arrays.stream(row).allMatch(v -> v >= 0 && v < 259)).isTrue();
            }
        }
    }

    @Test
    void findsTheHeapReservationInGcHeapInfoOfEachCollector() {
        assertThat(ProcessMemory.parseHeapRange(" garbage-first heap   total 397312K, used 14930K [0x0000000687400000, 0x0000000800000000)\n"
                + "  region size 4096K, 3 young (12288K), 1 survivors (4096K)\n"
                + " Metaspace       used 11121K, committed 11392K, reserved 1114112K\n"))
                .containsExactly(0x687400000L, 0x800000000L);
        assertThat(ProcessMemory.parseHeapRange(" PSYoungGen      total 113152K, used 27239K [0x0000000782700000, 0x000000078a500000, 0x0000000800000000)\n"
                + "  eden space 97280K, 28% used [0x0000000782700000,0x0000000784199cd8,0x0000000788600000)\n"
                + " ParOldGen       total 258048K, used 0K [0x0000000687400000, 0x0000000697000000, 0x0000000782700000)\n"
                + " Metaspace       used 11149K, committed 11392K, reserved 1114112K\n"
                + "  class space    used 1332K, committed 1472K, reserved 1048576K [0x0000000900000000, 0x0000000a00000000)\n"))
                .containsExactly(0x687400000L, 0x800000000L);
        assertThat(ProcessMemory.parseHeapRange("no addresses")).isNull();
    }

    @Test
    void parsesProcStatusKilobytes() {
        assertThat(ProcessMemory.parseKb("\t  123456 kB")).isEqualTo(123456);
        assertThat(ProcessMemory.parseKb("42")).isEqualTo(42);
    }
}
