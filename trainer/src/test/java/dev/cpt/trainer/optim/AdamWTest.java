package dev.cpt.trainer.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.cpt.trainer.model.Gpt;
import dev.cpt.trainer.model.GptConfig;
import dev.cpt.trainer.model.ParameterGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AdamWTest {

    static final GptConfig CONFIG = new GptConfig(32, 8, 16, 2, 2, 2, 11);

    @TempDir
    Path dir;

    Gpt model;
    NDManager grads;

    @BeforeEach
    void setUp() {
        model = new Gpt(CONFIG, Device.cpu());
        grads = model.manager().newSubManager();
    }

    @AfterEach
    void tearDown() {
        grads.close();
        model.close();
    }

    @Test
    void weightDecayShrinksMatricesOnlyWhenTheGradientIsZero() {
        double lr = 0.01;
        try (AdamW opt = new AdamW(model, AdamW.Settings.defaults())) {
            Map<String, float[]> before = weights(model);
            opt.step(constantGrads(0f), lr, null, false);
            for (String name : model.parameterNames()) {
                float[] w0 = before.get(name);
                float[] w1 = model.values(name);
                if (ParameterGroup.matrices().contains(ParameterGroup.of(name))) {
                    for (int i = 0; i < w0.length; i++) {
                        assertThat((double) w1[i]).as("%s[%d]", name, i)
                                .isCloseTo(w0[i] - lr * 0.1 * w0[i], within(1e-6 * Math.abs(w0[i]) + 1e-12));
                    }
                    assertThat(w1).as(name).isNotEqualTo(w0);
                } else {
                    assertThat(w1).as("%s (%s) must not decay", name, ParameterGroup.of(name)).isEqualTo(w0);
                }
            }
        }
    }

    @Test
    void embeddingsDecayWhenConfigured() {
        AdamW.Settings s = AdamW.Settings.defaults()
                .withDecayedGroups(EnumSet.of(ParameterGroup.EMBEDDINGS, ParameterGroup.MLP_IN));
        try (AdamW opt = new AdamW(model, s)) {
            float[] wte = model.values("wte");
            float[] qkv = model.values("h0.attn.qkv.weight");
            opt.step(constantGrads(0f), 0.1, null, false);
            float[] after = model.values("wte");
            for (int i = 0; i < wte.length; i++) {
                assertThat((double) after[i]).isCloseTo(wte[i] * (1 - 0.1 * 0.1), within(1e-6 * Math.abs(wte[i]) + 1e-12));
            }
            assertThat(model.values("h0.attn.qkv.weight")).isEqualTo(qkv);
        }
    }

    @Test
    void updatesMatchAReferenceAdamWOverSeveralSteps() {
        AdamW.Settings s = AdamW.Settings.defaults();
        double lr = 0.003;
        String name = "h1.mlp.in.weight";   // a decayed matrix
        try (AdamW opt = new AdamW(model, s)) {
            double[] w = toDouble(model.values(name));
            double[] m = new double[w.length];
            double[] v = new double[w.length];
            Random r = new Random(5);
            for (int t = 1; t <= 3; t++) {
                Map<String, NDArray> g = randomGrads(r, 0.01f);
                float[] gv = g.get(name).toFloatArray();
                opt.step(g, lr, null, false);
                for (int i = 0; i < w.length; i++) {
                    m[i] = 0.9 * m[i] + 0.1 * gv[i];
                    v[i] = 0.95 * v[i] + 0.05 * gv[i] * gv[i];
                    double mh = m[i] / (1 - Math.pow(0.9, t));
                    double vh = v[i] / (1 - Math.pow(0.95, t));
                    w[i] = w[i] - lr * (mh / (Math.sqrt(vh) + 1e-8) + 0.1 * w[i]);
                }
            }
            float[] actual = model.values(name);
            for (int i = 0; i < w.length; i++) {
                assertThat((double) actual[i]).as("%s[%d]", name, i).isCloseTo(w[i], within(1e-6));
            }
            float[] m1 = opt.firstMoment(name);
            for (int i = 0; i < w.length; i++) {
                assertThat((double) m1[i]).isCloseTo(m[i], within(1e-8));
            }
            assertThat(opt.stepCount()).isEqualTo(3);
        }
    }

    @Test
    void reportedGlobalNormEqualsTheManualNormAndClippingCapsIt() {
        try (AdamW opt = new AdamW(model, AdamW.Settings.defaults().withMaxGradNorm(1.0))) {
            Map<String, NDArray> g = randomGrads(new Random(9), 0.5f);
            double manual = manualNorm(g);
            assertThat(manual).isGreaterThan(2.0);
            float[] direction = g.get("wte").toFloatArray();

            double reported = opt.clipGradients(g);

            assertThat(reported).isCloseTo(manual, within(manual * 1e-5));
            double afterClip = manualNorm(g);
            assertThat(afterClip).isLessThanOrEqualTo(1.0).isCloseTo(1.0, within(1e-4));
            float[] clipped = g.get("wte").toFloatArray();
            for (int i = 0; i < clipped.length; i++) {   // same direction, scaled by max / norm
                assertThat((double) clipped[i]).isCloseTo(direction[i] / manual, within(1e-6));
            }
        }
    }

    @Test
    void gradientsBelowTheMaximumAreNotClippedAndGroupNormsAddUp() {
        try (AdamW opt = new AdamW(model, AdamW.Settings.defaults().withMaxGradNorm(100.0))) {
            Map<String, NDArray> g = randomGrads(new Random(9), 0.5f);
            float[] wte = g.get("wte").toFloatArray();
            GradientNorms norms = opt.gradientNorms(g);
            assertThat(opt.clip(g, norms)).isEqualTo(1.0);
            assertThat(g.get("wte").toFloatArray()).isEqualTo(wte);
            double sum = 0;
            for (ParameterGroup group : ParameterGroup.values()) {
                sum += norms.group(group) * norms.group(group);
            }
            assertThat(Math.sqrt(sum)).isCloseTo(norms.global(), within(1e-9 * norms.global()));
            assertThat(norms.group(ParameterGroup.EMBEDDINGS)).isCloseTo(
                    manualNorm(Map.of("wte", g.get("wte"), "wpe", g.get("wpe"))), within(1e-4));
        }
    }

    @Test
    void aNanGradientMakesTheNormNonFiniteAndCannotBeClipped() {
        try (AdamW opt = new AdamW(model)) {
            Map<String, NDArray> g = constantGrads(0.1f);
            g.get("h0.ln2.beta").set(new NDIndex(3), Float.NaN);
            GradientNorms norms = opt.gradientNorms(g);
            assertThat(norms.isFinite()).isFalse();
            assertThatThrownBy(() -> opt.clip(g, norms)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void groupStatisticsMatchNormsComputedOnTheHost() {
        double lr = 0.01;
        try (AdamW opt = new AdamW(model)) {
            Map<String, float[]> before = weights(model);
            Map<String, NDArray> g = randomGrads(new Random(2), 0.01f);
            GradientNorms gn = opt.gradientNorms(g);
            List<GroupStats> stats = opt.step(g, lr, gn, true);
            assertThat(stats).extracting(GroupStats::group).containsExactly(ParameterGroup.values());
            for (GroupStats s : stats) {
                double w2 = 0;
                double d2 = 0;
                int tensors = 0;
                for (String name : model.parameterNames()) {
                    if (ParameterGroup.of(name) != s.group()) {
                        continue;
                    }
                    tensors++;
                    float[] w0 = before.get(name);
                    float[] w1 = model.values(name);
                    for (int i = 0; i < w1.length; i++) {
                        w2 += (double) w1[i] * w1[i];
                        d2 += ((double) w1[i] - w0[i]) * ((double) w1[i] - w0[i]);
                    }
                }
                assertThat(s.tensors()).isEqualTo(tensors);
                assertThat(s.weightNorm()).as("%s ||w||", s.group()).isCloseTo(Math.sqrt(w2), within(1e-4 * Math.sqrt(w2)));
                assertThat(s.updateNorm()).as("%s ||dw||", s.group()).isCloseTo(Math.sqrt(d2), within(1e-3 * Math.sqrt(d2)));
                assertThat(s.effectiveLr()).as("%s lr/||w||^2", s.group()).isCloseTo(lr / w2, within(1e-3 * lr / w2));
                assertThat(s.relativeUpdate()).isCloseTo(Math.sqrt(d2 / w2), within(1e-3 * Math.sqrt(d2 / w2)));
                assertThat(s.gradientNorm()).isEqualTo(gn.group(s.group()));
            }
        }
    }

    @Test
    void savedStateRestoresMomentsAndStepCountBitExactly() throws IOException {
        Path file = dir.resolve("optimizer.safetensors");
        try (AdamW opt = new AdamW(model); Gpt other = new Gpt(CONFIG, Device.cpu()); AdamW fresh = new AdamW(other)) {
            Random r = new Random(4);
            opt.step(randomGrads(r, 0.01f), 0.01, null, false);
            opt.step(randomGrads(r, 0.01f), 0.01, null, false);
            opt.save(file);
            fresh.load(file);
            assertThat(fresh.stepCount()).isEqualTo(2);
            for (String name : model.parameterNames()) {
                assertThat(fresh.firstMoment(name)).as(name).isEqualTo(opt.firstMoment(name));
                assertThat(fresh.secondMoment(name)).as(name).isEqualTo(opt.secondMoment(name));
            }
            assertThat(opt.firstMoment("wte")).isNotEqualTo(new float[opt.firstMoment("wte").length]);
        }
    }

    @Test
    void aStateOfAnotherModelIsRejected() throws IOException {
        Path file = dir.resolve("optimizer.safetensors");
        try (Gpt deeper = new Gpt(new GptConfig(32, 8, 16, 2, 3, 2, 11), Device.cpu());
             AdamW deepOpt = new AdamW(deeper); AdamW opt = new AdamW(model)) {
            deepOpt.save(file);
            assertThatThrownBy(() -> opt.load(file)).isInstanceOf(IOException.class)
                    .hasMessageContaining("unexpected").hasMessageContaining("h2.");
            model.save(dir.resolve("model.safetensors"));
            assertThatThrownBy(() -> opt.load(dir.resolve("model.safetensors")))
                    .isInstanceOf(IOException.class).hasMessageContaining("not an AdamW state file");
        }
    }

    @Test
    void copyStateIntoCopiesMomentsAndStepExactly() {
        try (AdamW opt = new AdamW(model); Gpt other = new Gpt(CONFIG, Device.cpu()); AdamW copy = new AdamW(other)) {
            opt.step(randomGrads(new Random(8), 0.01f), 0.01, null, false);
            opt.copyStateInto(copy);
            assertThat(copy.stepCount()).isEqualTo(1);
            for (String name : model.parameterNames()) {
                assertThat(copy.firstMoment(name)).as(name).isEqualTo(opt.firstMoment(name));
                assertThat(copy.secondMoment(name)).as(name).isEqualTo(opt.secondMoment(name));
            }
        }
    }

    @Test
    void invalidSettingsAndIncompleteGradientsAreRejected() {
        assertThatThrownBy(() -> AdamW.Settings.defaults().withBetas(1.0, 0.95)).hasMessageContaining("beta1");
        assertThatThrownBy(() -> AdamW.Settings.defaults().withWeightDecay(-1)).hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> AdamW.Settings.defaults().withMaxGradNorm(0)).hasMessageContaining("maxGradNorm");
        try (AdamW opt = new AdamW(model)) {
            Map<String, NDArray> g = constantGrads(0f);
            g.remove("wpe");
            assertThatThrownBy(() -> opt.step(g, 0.1, null, false)).hasMessageContaining("missing [wpe]");
            assertThatThrownBy(() -> opt.step(constantGrads(0f), Double.NaN, null, false))
                    .hasMessageContaining("learning rate");
            assertThat(opt.stepCount()).isZero();
        }
    }

    private Map<String, NDArray> constantGrads(float value) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : model.parameterNames()) {
            out.put(name, grads.full(model.array(name).getShape(), value));
        }
        return out;
    }

    private Map<String, NDArray> randomGrads(Random r, float std) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : model.parameterNames()) {
            NDArray w = model.array(name);
            float[] v = new float[(int) w.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * std);
            }
            out.put(name, grads.create(v, w.getShape()));
        }
        return out;
    }

    private static double manualNorm(Map<String, NDArray> g) {
        double s = 0;
        for (NDArray a : g.values()) {
            for (float x : a.toFloatArray()) {
                s += (double) x * x;
            }
        }
        return Math.sqrt(s);
    }

    static Map<String, float[]> weights(Gpt g) {
        Map<String, float[]> out = new HashMap<>();
        for (String name : g.parameterNames()) {
            out.put(name, g.values(name));
        }
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
