package dev.cpt.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GptTest {

    static final GptConfig SMALL_TEST = new GptConfig(32, 16, 32, 4, 2, 4, 42);

    @TempDir
    Path dir;

    @Test
    void parameterNamesAreStableAndInCanonicalOrder() {
        try (Gpt g = new Gpt(new GptConfig(16, 8, 8, 2, 2, 2, 1), Device.cpu())) {
            List<String> block = List.of("ln1.gamma", "ln1.beta", "attn.qkv.weight", "attn.qkv.bias",
                    "attn.out.weight", "attn.out.bias", "ln2.gamma", "ln2.beta", "mlp.in.weight", "mlp.in.bias",
                    "mlp.out.weight", "mlp.out.bias");
            List<String> expected = new java.util.ArrayList<>(List.of("wte", "wpe"));
            block.forEach(n -> expected.add("h0." + n));
            block.forEach(n -> expected.add("h1." + n));
            expected.add("lnf.gamma");
            expected.add("lnf.beta");
            assertThat(g.parameterNames()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void parameterShapesAreOutByInAndCountMatchesTheConfig() {
        GptConfig c = new GptConfig(16, 8, 8, 2, 2, 3, 1);
        try (Gpt g = new Gpt(c, Device.cpu())) {
            assertThat(g.array("wte").getShape()).isEqualTo(new Shape(16, 8));
            assertThat(g.array("wpe").getShape()).isEqualTo(new Shape(8, 8));
            assertThat(g.array("h1.attn.qkv.weight").getShape()).isEqualTo(new Shape(24, 8));
            assertThat(g.array("h1.attn.out.weight").getShape()).isEqualTo(new Shape(8, 8));
            assertThat(g.array("h1.mlp.in.weight").getShape()).isEqualTo(new Shape(24, 8));
            assertThat(g.array("h1.mlp.out.weight").getShape()).isEqualTo(new Shape(8, 24));
            assertThat(g.array("h1.mlp.in.bias").getShape()).isEqualTo(new Shape(24));
            assertThat(g.actualParameterCount()).isEqualTo(c.parameterCount());
        }
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndAnotherSeedDoesNot() {
        try (Gpt a = new Gpt(SMALL_TEST, Device.cpu()); Gpt b = new Gpt(SMALL_TEST, Device.cpu());
             Gpt c = new Gpt(SMALL_TEST.withSeed(43), Device.cpu())) {
            for (String name : a.parameterNames()) {
                assertThat(b.values(name)).as(name).isEqualTo(a.values(name));
            }
            assertThat(c.values("wte")).isNotEqualTo(a.values("wte"));
            assertThat(c.values("h1.mlp.out.weight")).isNotEqualTo(a.values("h1.mlp.out.weight"));
        }
    }

    @Test
    void initialValuesArePinnedSoThatAnInitChangeIsNoticed() {
        // java.util.Random's Gaussian is specified by the JDK; these values must never change
        assertThat(Init.seedFor(1234, "wte")).isEqualTo(Init.seedFor(1234, "wte"));
        float[] a = Init.gaussian(Init.seedFor(1234, "wte"), 3, 0.02);
        float[] again = Init.gaussian(Init.seedFor(1234, "wte"), 3, 0.02);
        assertThat(a).isEqualTo(again);
        try (Gpt g = new Gpt(GptConfig.tiny(16, 8), Device.cpu())) {
            float[] wte = g.values("wte");
            assertThat(new float[] {wte[0], wte[1], wte[2]}).isEqualTo(a);
        }
        assertThat(Init.seedFor(1234, "wte")).isNotEqualTo(Init.seedFor(1234, "wpe"))
                .isNotEqualTo(Init.seedFor(1235, "wte"));
    }

    @Test
    void initialisationFollowsGpt2() {
        GptConfig c = new GptConfig(256, 64, 64, 4, 2, 4, 7);
        try (Gpt g = new Gpt(c, Device.cpu())) {
            double residual = 0.02 / Math.sqrt(2 * c.layers());
            for (String name : g.parameterNames()) {
                float[] v = g.values(name);
                switch (ParameterGroup.of(name)) {
                    case BIASES -> assertThat(v).as(name).containsOnly(0f);
                    case NORMS -> assertThat(v).as(name).containsOnly(name.endsWith("gamma") ? 1f : 0f);
                    case ATTN_OUT, MLP_OUT -> {
                        assertThat(mean(v)).as(name).isCloseTo(0, within(residual * 0.1));
                        assertThat(std(v)).as(name).isCloseTo(residual, within(residual * 0.05));
                    }
                    default -> {
                        assertThat(mean(v)).as(name).isCloseTo(0, within(0.002));
                        assertThat(std(v)).as(name).isCloseTo(0.02, within(0.001));
                    }
                }
            }
        }
    }

    @Test
    void changingAFutureTokenDoesNotChangePastLogitsButChangesLaterOnes() {
        int t = 16;
        int changed = 9;
        try (Gpt g = new Gpt(SMALL_TEST, Device.cpu())) {
            long[] ids = new long[2 * t];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (i * 7 + 3) % 32;
            }
            float[] before = logits(g, ids, 2, t);
            ids[changed] = (ids[changed] + 5) % 32;   // row 0, position 9
            float[] after = logits(g, ids, 2, t);
            int v = 32;
            for (int pos = 0; pos < t; pos++) {
                double diff = maxAbsDiff(before, after, pos * v, v);
                if (pos < changed) {
                    assertThat(diff).as("row 0 position %d (before the change)", pos).isLessThanOrEqualTo(1e-6);
                } else {
                    assertThat(diff).as("row 0 position %d (at or after the change)", pos).isGreaterThan(1e-4);
                }
                assertThat(maxAbsDiff(before, after, (t + pos) * v, v)).as("row 1 position %d", pos).isZero();
            }
        }
    }

    @Test
    void untrainedLossIsAboutLnVocab() {
        try (Gpt g = new Gpt(SMALL_TEST, Device.cpu()); NDManager sm = g.manager().newSubManager()) {
            Autograd.disableOnThisThread();
            long[] ids = new long[4 * 16];
            long[] next = new long[4 * 16];
            java.util.Random r = new java.util.Random(3);
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt(32);
                next[i] = r.nextInt(32);
            }
            NDArray logits = g.logits(sm.create(ids, new Shape(4, 16)), false);
            assertThat(logits.getShape()).isEqualTo(new Shape(4, 16, 32));
            double loss = Gpt.crossEntropy(logits, sm.create(next, new Shape(4, 16))).getFloat();
            assertThat(loss).isCloseTo(Math.log(32), within(0.1));
        }
    }

    @Test
    void inputsLongerThanTheContextAreRejected() {
        try (Gpt g = new Gpt(SMALL_TEST, Device.cpu()); NDManager sm = g.manager().newSubManager()) {
            assertThatThrownBy(() -> g.logits(sm.create(new long[17], new Shape(1, 17)), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside [1, 16]");
        }
    }

    @Test
    void saveThenLoadRestoresEveryWeightBitExactly() throws IOException {
        Path file = dir.resolve("model.safetensors");
        try (Gpt a = new Gpt(SMALL_TEST, Device.cpu()); Gpt b = new Gpt(SMALL_TEST.withSeed(99), Device.cpu())) {
            a.save(file);
            int arrays = ((ai.djl.ndarray.BaseNDManager) b.manager()).getManagedArrays().size();
            b.load(file);
            for (String name : a.parameterNames()) {
                assertThat(b.values(name)).as(name).isEqualTo(a.values(name));
            }
            assertThat(((ai.djl.ndarray.BaseNDManager) b.manager()).getManagedArrays()).hasSize(arrays);
            assertThat(b.array("wte").hasGradient()).isTrue();
        }
    }

    @Test
    void loadingAFileOfAnotherShapeFailsAndSaysWhy() throws IOException {
        Path file = dir.resolve("model.safetensors");
        try (Gpt a = new Gpt(SMALL_TEST, Device.cpu());
             Gpt wider = new Gpt(new GptConfig(32, 16, 64, 4, 2, 4, 42), Device.cpu());
             Gpt deeper = new Gpt(new GptConfig(32, 16, 32, 4, 3, 4, 42), Device.cpu())) {
            a.save(file);
            assertThatThrownBy(() -> wider.load(file)).isInstanceOf(IOException.class)
                    .hasMessageContaining("wte").hasMessageContaining("shape");
            assertThatThrownBy(() -> deeper.load(file)).isInstanceOf(IOException.class)
                    .hasMessageContaining("do not match");
        }
    }

    @Test
    void copyWeightsIntoIsExactAndLeavesTheModelsIndependent() {
        try (Gpt a = new Gpt(SMALL_TEST, Device.cpu()); Gpt b = new Gpt(SMALL_TEST.withSeed(5), Device.cpu())) {
            a.array("h0.ln1.gamma").set(new NDIndex(0), Float.NaN);   // NaN copies too
            a.copyWeightsInto(b);
            for (String name : a.parameterNames()) {
                assertThat(b.values(name)).as(name).isEqualTo(a.values(name));
            }
            a.array("wte").set(new NDIndex(0, 0), 123f);
            assertThat(b.values("wte")[0]).isNotEqualTo(123f);
            assertThat(b.array("wte").hasGradient()).isTrue();
        }
    }

    /**
     * The autograd graph saves some operands of the forward pass for the backward one. DJL backs
     * a tensor made from a Java value (a scalar operand such as {@code mul(0.25f)}, or an array
     * from {@code create}) with a direct buffer that the garbage collector frees once the Java
     * side closes it, so a saved operand of that kind would be read after it is freed: the
     * gradients came out as garbage or NaN whenever a collection fell between forward and
     * backward. Here one does, every time.
     */
    @Test
    void gradientsAreTheSameWhenTheGarbageCollectorRunsBetweenForwardAndBackward() throws InterruptedException {
        long[] ids = new long[4 * 16];
        long[] next = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 7L) % 32;
            next[i] = (i * 7L + 7) % 32;
        }
        try (Gpt g = new Gpt(SMALL_TEST, Device.cpu())) {
            Map<String, float[]> quiet = gradients(g, ids, next, false);
            Map<String, float[]> collected = gradients(g, ids, next, true);
            for (String name : g.parameterNames()) {
                float[] a = collected.get(name);
                float[] b = quiet.get(name);
                int differing = 0;
                for (int i = 0; i < a.length; i++) {
                    differing += Float.floatToRawIntBits(a[i]) == Float.floatToRawIntBits(b[i]) ? 0 : 1;
                }
                assertThat(differing).as("gradient values of %s that changed, of %d", name, a.length).isZero();
            }
        }
    }

    private static Map<String, float[]> gradients(Gpt g, long[] ids, long[] next, boolean collectGarbage)
            throws InterruptedException {
        Autograd.disableOnThisThread();
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager sm = g.manager().newSubManager()) {
            NDArray x = sm.create(ids, new Shape(4, 16));
            NDArray y = sm.create(next, new Shape(4, 16));
            try (GradientCollector gc = g.manager().getEngine().newGradientCollector()) {
                NDArray loss = Gpt.crossEntropy(g.logits(x, true), y);
                if (collectGarbage) {
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        Thread.sleep(50);   // the cleaner thread frees the unreachable direct buffers
                    }
                }
                gc.backward(loss);
            }
            Autograd.disableOnThisThread();
            for (var e : g.namedParameters().entrySet()) {
                out.put(e.getKey(), e.getValue().getArray().getGradient().toFloatArray());
                Autograd.zeroGradient(e.getValue().getArray());
            }
        }
        return out;
    }

    static float[] logits(Gpt g, long[] ids, int b, int t) {
        Autograd.disableOnThisThread();
        try (NDManager sm = g.manager().newSubManager()) {
            return g.logits(sm.create(ids, new Shape(b, t)), false).toFloatArray();
        }
    }

    private static double maxAbsDiff(float[] a, float[] b, int from, int n) {
        double m = 0;
        for (int i = from; i < from + n; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
