package dev.cpt.trainer.step;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.cpt.trainer.model.Gpt;
import dev.cpt.trainer.model.GptConfig;
import dev.cpt.trainer.model.ParameterGroup;
import dev.cpt.trainer.optim.AdamW;
import dev.cpt.trainer.optim.GroupStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrainStepTest {

    /** Tiny test model: vocabulary 32, context 32. */
    static final GptConfig CONFIG = GptConfig.tiny(32, 32);

    @TempDir
    Path dir;

    /**
     * Arithmetic sequences {@code x, x+k, x+2k, ... (mod vocab)} with a random start and a random
     * step {@code k} in {1, 2, 3}: after two tokens every next token is determined.
     */
    static List<int[][]> arithmeticBatches(long seed, int count, int batch, int t, int vocab) {
        Random r = new Random(seed);
        List<int[][]> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            int[][] b = new int[batch][t + 1];
            for (int[] row : b) {
                int k = 1 + r.nextInt(3);
                int x = r.nextInt(vocab);
                for (int i = 0; i <= t; i++) {
                    row[i] = x;
                    x = (x + k) % vocab;
                }
            }
            out.add(b);
        }
        return out;
    }

    @Test
    void lossFallsWellBelowLnVocabOnALearnablePattern() {
        List<int[][]> batches = arithmeticBatches(1, 150, 8, 16, 32);
        try (Gpt model = new Gpt(CONFIG, Device.cpu()); AdamW opt = new AdamW(model)) {
            TrainStep step = new TrainStep(model, opt);
            int[][] heldOut = arithmeticBatches(99, 1, 8, 16, 32).get(0);
            double initialEval = step.evalLoss(heldOut);
            List<Double> losses = new ArrayList<>();
            for (int i = 0; i < batches.size(); i++) {
                double lr = 3e-3 * Math.min(1.0, (i + 1) / 10.0);
                StepResult r = step.step(batches.get(i), lr);
                assertThat(r.skipped()).isFalse();
                losses.add(r.loss());
            }
            double first = losses.get(0);
            double last10 = losses.subList(losses.size() - 10, losses.size()).stream()
                    .mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(first).isCloseTo(Math.log(32), within(0.3));
            assertThat(initialEval).isCloseTo(Math.log(32), within(0.3));
            assertThat(last10).as("mean loss of the last 10 steps").isLessThan(0.4 * first);
            assertThat(step.evalLoss(heldOut)).as("held-out loss").isLessThan(0.4 * initialEval);
        }
    }

    @Test
    void resumingFromSavedFilesIsBitIdenticalToTrainingStraight() throws IOException {
        List<int[][]> batches = arithmeticBatches(3, 10, 4, 16, 32);
        double lr = 2e-3;
        Path modelFile = dir.resolve("model.safetensors");
        Path optFile = dir.resolve("optimizer.safetensors");
        try (Gpt straight = new Gpt(CONFIG, Device.cpu()); AdamW straightOpt = new AdamW(straight);
             Gpt first = new Gpt(CONFIG, Device.cpu()); AdamW firstOpt = new AdamW(first)) {
            TrainStep s = new TrainStep(straight, straightOpt);
            for (int[][] b : batches) {
                s.step(b, lr);
            }
            TrainStep f = new TrainStep(first, firstOpt);
            for (int[][] b : batches.subList(0, 4)) {
                f.step(b, lr);
            }
            first.save(modelFile);
            firstOpt.save(optFile);

            try (Gpt resumed = new Gpt(CONFIG.withSeed(777), Device.cpu()); AdamW resumedOpt = new AdamW(resumed)) {
                resumed.load(modelFile);
                resumedOpt.load(optFile);
                TrainStep r = new TrainStep(resumed, resumedOpt);
                for (int[][] b : batches.subList(4, 10)) {
                    r.step(b, lr);
                }
                assertThat(resumedOpt.stepCount()).isEqualTo(straightOpt.stepCount()).isEqualTo(10);
                for (String name : straight.parameterNames()) {
                    assertThat(maxAbsDiff(resumed.values(name), straight.values(name))).as("weights " + name).isZero();
                    assertThat(maxAbsDiff(resumedOpt.firstMoment(name), straightOpt.firstMoment(name))).as("m " + name)
                            .isZero();
                    assertThat(maxAbsDiff(resumedOpt.secondMoment(name), straightOpt.secondMoment(name)))
                            .as("v " + name).isZero();
                    assertThat(resumed.values(name)).as(name).isEqualTo(straight.values(name));
                }
                // and the 4-step model really differs from the 10-step one
                assertThat(first.values("wte")).isNotEqualTo(straight.values("wte"));
            }
        }
    }

    @Test
    void aNanLearningRateIsSkippedAndReportedAndLeavesNoTrace() {
        List<int[][]> batches = arithmeticBatches(5, 2, 4, 16, 32);
        try (Gpt a = new Gpt(CONFIG, Device.cpu()); AdamW aOpt = new AdamW(a);
             Gpt b = new Gpt(CONFIG, Device.cpu()); AdamW bOpt = new AdamW(b)) {
            TrainStep sa = new TrainStep(a, aOpt);
            Map<String, float[]> before = weights(a);

            StepResult skipped = sa.step(batches.get(0), Double.NaN);

            assertThat(skipped.skipped()).isTrue();
            assertThat(skipped.skipReason()).isEqualTo(StepResult.SkipReason.NON_FINITE_LEARNING_RATE);
            assertThat(skipped.loss()).isFinite();
            assertThat(aOpt.stepCount()).isZero();
            assertThat(weights(a)).allSatisfy((name, w) -> assertThat(w).as(name).isEqualTo(before.get(name)));
            assertThat(aOpt.firstMoment("wte")).containsOnly(0f);

            // the skipped step's gradients were discarded: the next step equals a fresh model's first
            sa.step(batches.get(1), 1e-3);
            new TrainStep(b, bOpt).step(batches.get(1), 1e-3);
            for (String name : a.parameterNames()) {
                assertThat(a.values(name)).as(name).isEqualTo(b.values(name));
            }
        }
    }

    @Test
    void aPoisonedParameterMakesANonFiniteLossThatIsSkippedWithWeightsUnchanged() {
        int[][] batch = arithmeticBatches(6, 1, 4, 16, 32).get(0);
        try (Gpt model = new Gpt(CONFIG, Device.cpu()); AdamW opt = new AdamW(model)) {
            TrainStep step = new TrainStep(model, opt);
            step.step(batch, 1e-3);
            model.array("h1.ln2.gamma").set(new NDIndex(5), Float.NaN);
            Map<String, float[]> before = weights(model);
            float[] m = opt.firstMoment("h0.attn.qkv.weight");

            StepResult r = step.step(batch, 1e-3);

            assertThat(r.skipReason()).isEqualTo(StepResult.SkipReason.NON_FINITE_LOSS);
            assertThat(r.loss()).isNaN();
            assertThat(opt.stepCount()).isEqualTo(1);
            assertThat(weights(model)).allSatisfy((name, w) -> assertThat(w).as(name).isEqualTo(before.get(name)));
            assertThat(opt.firstMoment("h0.attn.qkv.weight")).isEqualTo(m);
        }
    }

    @Test
    void nativeArraysOfTheModelStayTheSameAfter50StepsAsAfter5() {
        List<int[][]> batches = arithmeticBatches(7, 50, 2, 8, 16);
        try (Gpt model = new Gpt(new GptConfig(16, 8, 16, 2, 1, 2, 1), Device.cpu()); AdamW opt = new AdamW(model)) {
            TrainStep step = new TrainStep(model, opt);
            BaseNDManager manager = (BaseNDManager) model.manager();
            int after5 = 0;
            for (int i = 0; i < 50; i++) {
                step.step(batches.get(i), 1e-3, i % 7 == 0);
                if (i % 10 == 3) {
                    step.evalLoss(batches.get(i));
                }
                if (i == 4) {
                    after5 = manager.getManagedArrays().size();
                }
            }
            step.step(batches.get(0), Double.NaN);   // a skipped step frees its arrays too
            assertThat(manager.getManagedArrays()).hasSize(after5);
            assertThat(after5).isEqualTo(3 * model.parameterNames().size());   // weights, m, v
        }
    }

    @Test
    void statisticsTimingsAndTokenCountsAreReported() {
        int[][] batch = arithmeticBatches(8, 1, 4, 16, 32).get(0);
        try (Gpt model = new Gpt(CONFIG, Device.cpu()); AdamW opt = new AdamW(model)) {
            StepResult r = new TrainStep(model, opt).step(batch, 1e-3, true);
            assertThat(r.tokens()).isEqualTo(4 * 16);
            assertThat(r.dataNs()).isPositive();
            assertThat(r.forwardNs()).isPositive();
            assertThat(r.backwardNs()).isPositive();
            assertThat(r.optimizerNs()).isPositive();
            assertThat(r.tokensPerSecond()).isPositive();
            assertThat(r.gradNorm()).isPositive().isFinite();
            assertThat(r.groups()).extracting(GroupStats::group).containsExactly(ParameterGroup.values());
            assertThat(r.groups()).allSatisfy(g -> {
                assertThat(g.weightNorm()).isPositive();
                assertThat(g.relativeUpdate()).isPositive();
                if (g.group() != ParameterGroup.BIASES) {   // biases start at 0: their first update is all of them
                    assertThat(g.relativeUpdate()).isLessThan(1);
                }
                assertThat(g.effectiveLr()).isPositive();
                assertThat(g.gradientNorm()).isPositive();
            });
        }
    }

    @Test
    void evalLossEqualsTheTrainingLossBeforeTheUpdateAndChangesNothing() {
        int[][] batch = arithmeticBatches(9, 1, 4, 16, 32).get(0);
        try (Gpt model = new Gpt(CONFIG, Device.cpu()); AdamW opt = new AdamW(model)) {
            TrainStep step = new TrainStep(model, opt);
            Map<String, float[]> before = weights(model);
            double eval = step.evalLoss(batch);
            assertThat(weights(model)).allSatisfy((name, w) -> assertThat(w).as(name).isEqualTo(before.get(name)));
            StepResult r = step.step(batch, 1e-3);
            assertThat(r.loss()).isCloseTo(eval, within(1e-6));
            assertThat(step.evalLoss(batch)).isLessThan(eval);
        }
    }

    @Test
    void aCopiedBranchContinuesExactlyLikeTheOriginal() {
        List<int[][]> batches = arithmeticBatches(10, 5, 4, 16, 32);
        try (Gpt main = new Gpt(CONFIG, Device.cpu()); AdamW mainOpt = new AdamW(main);
             Gpt branch = new Gpt(CONFIG.withSeed(3), Device.cpu()); AdamW branchOpt = new AdamW(branch)) {
            TrainStep m = new TrainStep(main, mainOpt);
            TrainStep b = new TrainStep(branch, branchOpt);
            for (int[][] batch : batches.subList(0, 3)) {
                m.step(batch, 2e-3);
            }
            m.copyInto(b);
            for (int[][] batch : batches.subList(3, 5)) {
                StepResult rm = m.step(batch, 1e-3);
                StepResult rb = b.step(batch, 1e-3);
                assertThat(rb.loss()).isEqualTo(rm.loss());
            }
            for (String name : main.parameterNames()) {
                assertThat(branch.values(name)).as(name).isEqualTo(main.values(name));
                assertThat(branchOpt.secondMoment(name)).as(name).isEqualTo(mainOpt.secondMoment(name));
            }
        }
    }

    @Test
    void stepsCopiesAndEvalsWorkOnAThreadOtherThanTheEngines() throws Exception {
        List<int[][]> batches = arithmeticBatches(11, 2, 4, 16, 32);
        try (Gpt model = new Gpt(CONFIG, Device.cpu()); AdamW opt = new AdamW(model);
             Gpt copy = new Gpt(CONFIG.withSeed(9), Device.cpu()); AdamW copyOpt = new AdamW(copy)) {
            TrainStep step = new TrainStep(model, opt);
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicReference<StepResult> result = new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    result.set(step.step(batches.get(0), 1e-3));
                    step.evalLoss(batches.get(1));
                    step.copyInto(new TrainStep(copy, copyOpt));
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "other-trainer-thread");
            t.start();
            t.join();
            assertThat(failure.get()).isNull();
            assertThat(result.get().skipped()).isFalse();
            assertThat(copy.values("wte")).isEqualTo(model.values("wte"));
            assertThat(copyOpt.stepCount()).isEqualTo(1);
        }
    }

    @Test
    void aStepWhileAnotherGradientCollectorIsOpenFailsAndLeavesNothingBehind() {
        int[][] batch = arithmeticBatches(12, 1, 2, 8, 32).get(0);
        try (Gpt model = new Gpt(CONFIG, Device.cpu()); AdamW opt = new AdamW(model)) {
            TrainStep step = new TrainStep(model, opt);
            step.step(batch, 1e-3);
            int arrays = ((BaseNDManager) model.manager()).getManagedArrays().size();
            Map<String, float[]> before = weights(model);
            ai.djl.training.GradientCollector other = model.manager().getEngine().newGradientCollector();
            try {
                assertThatThrownBy(() -> step.step(batch, 1e-3)).isInstanceOf(IllegalStateException.class);
            } finally {
                other.close();
            }
            assertThat(((BaseNDManager) model.manager()).getManagedArrays()).hasSize(arrays);
            assertThat(weights(model)).allSatisfy((name, w) -> assertThat(w).as(name).isEqualTo(before.get(name)));
            assertThat(step.step(batch, 1e-3).skipped()).isFalse();
            assertThat(opt.stepCount()).isEqualTo(2);
        }
    }

    @Test
    void malformedBatchesAndForeignOptimizersAreRejected() {
        try (Gpt model = new Gpt(CONFIG, Device.cpu()); AdamW opt = new AdamW(model);
             Gpt other = new Gpt(CONFIG, Device.cpu()); AdamW otherOpt = new AdamW(other)) {
            TrainStep step = new TrainStep(model, opt);
            assertThatThrownBy(() -> step.step(new int[0][], 1e-3)).hasMessageContaining("empty");
            assertThatThrownBy(() -> step.step(new int[][] {{1, 2, 3}, {1, 2}}, 1e-3))
                    .hasMessageContaining("row 1 has 2 tokens");
            assertThatThrownBy(() -> step.step(new int[][] {{1, 32}}, 1e-3)).hasMessageContaining("outside the vocabulary");
            assertThatThrownBy(() -> step.step(new int[][] {{1}}, 1e-3)).hasMessageContaining("T+1 tokens");
            assertThatThrownBy(() -> step.step(new int[][] {new int[34]}, 1e-3)).hasMessageContaining("T+1 tokens");
            assertThatThrownBy(() -> step.step(new int[][] {{1, 2}}, -1e-3)).hasMessageContaining("learning rate");
            assertThatThrownBy(() -> new TrainStep(model, otherOpt)).hasMessageContaining("another model");
            assertThat(opt.stepCount()).isZero();
        }
    }

    static Map<String, float[]> weights(Gpt g) {
        Map<String, float[]> out = new HashMap<>();
        for (String name : g.parameterNames()) {
            out.put(name, g.values(name));
        }
        return out;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
