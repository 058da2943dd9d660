package dev.cpt.trainer.bench;

import ai.djl.Device;
import dev.cpt.trainer.model.Gpt;
import dev.cpt.trainer.model.GptConfig;
import dev.cpt.trainer.optim.AdamW;
import dev.cpt.trainer.step.TrainStep;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reference script reads the Java model's weights and computes the same model: the same
 * initial loss on a fixed batch within 1e-4, and the same losses over a few AdamW steps. Runs
 * only where /usr/bin/python3 can import torch (Debian python3-torch), skipped elsewhere.
 */
class PythonReferenceParityTest {

    static PythonReference reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTorch() {
        assumeTrue(PythonReference.torchAvailable(PythonReference.DEFAULT_PYTHON),
                "/usr/bin/python3 cannot import torch: install python3-torch to run this test");
        Path script = PythonReference.locateScript().orElseThrow(
                () -> new AssertionError(PythonReference.SCRIPT + " not found from " + Path.of("").toAbsolutePath()));
        reference = new PythonReference(PythonReference.DEFAULT_PYTHON, script);
    }

    @Test
    void sameInitialLossAsJavaOnTheTinyPreset() throws Exception {
        assertSameInitialLoss(GptConfig.tiny(TrainerBench.VOCAB, 64), 4);
    }

    @Test
    void sameInitialLossAsJavaOnTheSmallPresetWithAnotherSeed() throws Exception {
        assertSameInitialLoss(GptConfig.small(TrainerBench.VOCAB, 32).withSeed(99), 2);
    }

    private void assertSameInitialLoss(GptConfig config, int batch) throws Exception {
        int[][] tokens = TrainerBench.randomBatches(7, 1, batch, config.context(), config.vocabSize()).get(0);
        Path weights = dir.resolve("w.safetensors");
        Path tokenFile = dir.resolve("t.i32");
        TrainerBench.writeTokens(tokenFile, List.<int[][]>of(tokens));
        double java;
        try (Gpt model = new Gpt(config, Device.cpu()); AdamW opt = new AdamW(model)) {
            model.save(weights);
            java = new TrainStep(model, opt).evalLoss(tokens);
        }

        double python = reference.initialLoss(weights, tokenFile, batch, config.context(), 1, Duration.ofMinutes(2));

        assertThat(python).isCloseTo(java, within(1e-4));
    }

    @Test
    void sameLossesOverAFewAdamWStepsWithClipping() throws Exception {
        GptConfig config = GptConfig.tiny(TrainerBench.VOCAB, 32);
        int batch = 4;
        int steps = 6;
        List<int[][]> pool = TrainerBench.randomBatches(11, 3, batch, config.context(), config.vocabSize());
        Path weights = dir.resolve("w.safetensors");
        Path tokenFile = dir.resolve("t.i32");
        TrainerBench.writeTokens(tokenFile, pool);
        double first;
        double last = Double.NaN;
        try (Gpt model = new Gpt(config, Device.cpu()); AdamW opt = new AdamW(model)) {
            model.save(weights);
            TrainStep step = new TrainStep(model, opt);
            first = step.step(pool.get(0), TrainerBench.LR).loss();
            for (int k = 1; k < steps; k++) {
                last = step.step(pool.get(k % pool.size()), TrainerBench.LR).loss();
            }
        }

        PythonReference.Measurement m = reference.train(weights, tokenFile, pool.size(), batch, config.context(), 1,
                steps - 1, 1, TrainerBench.LR, 0, Duration.ofMinutes(2));

        assertThat(m.throughput().lossFirst()).isCloseTo(first, within(1e-4));
        assertThat(m.throughput().lossLast()).isCloseTo(last, within(1e-4));
        assertThat(last).isLessThan(first - 1e-3); // the steps did change the weights
        assertThat(m.throughput().tokensPerSecond()).isPositive();
        assertThat(m.openBlas()).as(m.blas()).isTrue();
    }
}
