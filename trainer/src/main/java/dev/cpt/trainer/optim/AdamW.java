package dev.cpt.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.cpt.trainer.model.Autograd;
import dev.cpt.trainer.model.Gpt;
import dev.cpt.trainer.model.ParameterGroup;
import dev.cpt.trainer.model.SafeTensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * AdamW (Loshchilov &amp; Hutter) whose whole state is ours: first and second moments per
 * parameter NAME plus one step count, saveable and restorable bit-exactly, with global-norm
 * gradient clipping and per-group telemetry. DJL's built-in Adam keys its moments by per-process
 * ids, cannot save them, clips element-wise and decays every parameter; hence this class.
 *
 * <p>Update of parameter {@code w} with (clipped) gradient {@code g} at step {@code t} (1-based):
 * <pre>
 *   m = b1 m + (1 - b1) g
 *   v = b2 v + (1 - b2) g^2
 *   dw = (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)  [+ lr wd w   if w's group decays]
 *   w = w - dw
 * </pre>
 * Weight decay is decoupled (not added to the gradient) and applies only to the groups in
 * {@link Settings#decayedGroups()}: by default the block matrices (qkv, attention output, MLP in
 * and out), not norms, biases or embeddings.
 *
 * <p>The moments live in a sub-manager of the model's manager, created at construction (zeros),
 * so the number of arrays the model holds does not change while training. Every temporary of an
 * update goes to a short-lived sub-manager, whatever manager the caller's gradients are in.
 *
 * <p>Not thread-safe: one training thread uses it.
 */
public final class AdamW implements AutoCloseable {

    /** Format tag in the metadata of a saved state. */
    public static final String FORMAT = "cpt.adamw";

    /**
     * Hyper-parameters. The learning rate is not one: it is passed to every {@link #step}.
     *
     * @param beta1         first-moment decay, default 0.9
     * @param beta2         second-moment decay, default 0.95
     * @param eps           added to the denominator, default 1e-8
     * @param weightDecay   decoupled decay per unit of learning rate, default 0.1
     * @param maxGradNorm   global gradient norm above which gradients are scaled down, default 1.0;
     *                      {@code Double.POSITIVE_INFINITY} turns clipping off
     * @param decayedGroups the groups that get weight decay, default {@link ParameterGroup#matrices()}
     */
    public record Settings(double beta1, double beta2, double eps, double weightDecay, double maxGradNorm,
                           Set<ParameterGroup> decayedGroups) {

        public Settings {
            if (!(beta1 >= 0 && beta1 < 1)) {
                throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
            }
            if (!(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
            }
            if (!(eps > 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("eps must be a positive number, got " + eps);
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weightDecay must be >= 0 and finite, got " + weightDecay);
            }
            if (!(maxGradNorm > 0)) {
                throw new IllegalArgumentException("maxGradNorm must be > 0 (POSITIVE_INFINITY: no clipping), got "
                        + maxGradNorm);
            }
            Objects.requireNonNull(decayedGroups, "decayedGroups");
            decayedGroups = decayedGroups.isEmpty()
                    ? Collections.unmodifiableSet(EnumSet.noneOf(ParameterGroup.class))
                    : Collections.unmodifiableSet(EnumSet.copyOf(decayedGroups));
        }

        /** beta1 0.9, beta2 0.95, eps 1e-8, weight decay 0.1 on the block matrices, clip at 1.0. */
        public static Settings defaults() {
            return new Settings(0.9, 0.95, 1e-8, 0.1, 1.0, ParameterGroup.matrices());
        }

        public Settings withWeightDecay(double wd) {
            return new Settings(beta1, beta2, eps, wd, maxGradNorm, decayedGroups);
        }

        public Settings withMaxGradNorm(double max) {
            return new Settings(beta1, beta2, eps, weightDecay, max, decayedGroups);
        }

        public Settings withDecayedGroups(Set<ParameterGroup> groups) {
            return new Settings(beta1, beta2, eps, weightDecay, maxGradNorm, groups);
        }

        public Settings withBetas(double b1, double b2) {
            return new Settings(b1, b2, eps, weightDecay, maxGradNorm, decayedGroups);
        }
    }

    private final Settings settings;
    private final Map<String, Parameter> parameters;
    private final Map<String, ParameterGroup> groups = new LinkedHashMap<>();
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private final NDManager state;
    private long step;

    /** AdamW with {@link Settings#defaults()} for {@code model}. */
    public AdamW(Gpt model) {
        this(model, Settings.defaults());
    }

    public AdamW(Gpt model, Settings settings) {
        this(model.namedParameters(), model.manager(), settings);
    }

    /**
     * @param parameters parameters by {@linkplain Gpt stable name}; each name must be classifiable
     *                   by {@link ParameterGroup#of(String)}
     * @param parent     manager whose sub-manager holds the moments (the model's manager)
     */
    public AdamW(Map<String, Parameter> parameters, NDManager parent, Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        if (this.parameters.isEmpty()) {
            throw new IllegalArgumentException("no parameters to optimize");
        }
        for (String name : this.parameters.keySet()) {
            groups.put(name, ParameterGroup.of(name));
        }
        this.state = parent.newSubManager();
        for (Map.Entry<String, Parameter> e : this.parameters.entrySet()) {
            NDArray w = e.getValue().getArray();
            m.put(e.getKey(), state.zeros(w.getShape(), w.getDataType()));
            v.put(e.getKey(), state.zeros(w.getShape(), w.getDataType()));
        }
    }

    public Settings settings() {
        return settings;
    }

    /** Number of updates applied (skipped steps do not count); bias correction uses it. */
    public long stepCount() {
        return step;
    }

    /** Parameter names in update order. */
    public List<String> parameterNames() {
        return List.copyOf(parameters.keySet());
    }

    /** The group of a parameter. */
    public ParameterGroup groupOf(String name) {
        ParameterGroup g = groups.get(name);
        if (g == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return g;
    }

    /** True when this optimizer updates exactly {@code model}'s parameter objects. */
    public boolean isFor(Gpt model) {
        Map<String, Parameter> other = model.namedParameters();
        if (!other.keySet().equals(parameters.keySet())) {
            return false;
        }
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            if (other.get(e.getKey()) != e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Global and per-group L2 norms of {@code grads} (one array per parameter name), fetched from
     * the device in ONE transfer.
     */
    public GradientNorms gradientNorms(Map<String, NDArray> grads) {
        requireAll(grads);
        float[] norms;
        try (NDManager tmp = state.newSubManager()) {
            tmp.tempAttachAll(grads.values().toArray(new NDArray[0]));
            NDList list = new NDList(parameters.size());
            for (String name : parameters.keySet()) {
                list.add(grads.get(name).norm());
            }
            norms = NDArrays.stack(list).toFloatArray();
        }
        double total = 0;
        Map<ParameterGroup, Double> sq = new EnumMap<>(ParameterGroup.class);
        int i = 0;
        for (String name : parameters.keySet()) {
            double n2 = (double) norms[i] * norms[i];
            i++;
            total += n2;
            sq.merge(groups.get(name), n2, Double::sum);
        }
        sq.replaceAll((g, s) -> Math.sqrt(s));
        return new GradientNorms(Math.sqrt(total), sq);
    }

    /**
     * Scales {@code grads} in place by {@code maxGradNorm / (norm + 1e-6)} when their global norm
     * exceeds {@code maxGradNorm}, so that afterwards it is at most {@code maxGradNorm}.
     *
     * @return the factor applied (1 when not clipped)
     * @throws IllegalArgumentException when {@code norms} is not finite
     */
    public double clip(Map<String, NDArray> grads, GradientNorms norms) {
        requireAll(grads);
        if (!norms.isFinite()) {
            throw new IllegalArgumentException("cannot clip non-finite gradients (norm " + norms.global() + ")");
        }
        if (norms.global() <= settings.maxGradNorm()) {
            return 1.0;
        }
        double scale = settings.maxGradNorm() / (norms.global() + 1e-6);
        try (NDManager tmp = state.newSubManager()) {
            tmp.tempAttachAll(grads.values().toArray(new NDArray[0]));
            NDArray factor = tmp.create((float) scale);
            for (NDArray g : grads.values()) {
                g.muli(factor);
            }
        }
        return scale;
    }

    /**
     * Measures and clips {@code grads} in place (see {@link #clip}).
     *
     * @return the global norm before clipping (gradients are left alone when it is not finite)
     */
    public double clipGradients(Map<String, NDArray> grads) {
        GradientNorms norms = gradientNorms(grads);
        if (norms.isFinite()) {
            clip(grads, norms);
        }
        return norms.global();
    }

    /**
     * One AdamW update of every parameter with {@code grads} (already clipped) at learning rate
     * {@code lr}.
     *
     * @param gradNorms    the pre-clip norms for the statistics, or null
     * @param collectStats whether to compute {@link GroupStats} (one extra device-to-host transfer)
     * @return per-group statistics in {@link ParameterGroup} order, empty unless {@code collectStats}
     */
    public List<GroupStats> step(Map<String, NDArray> grads, double lr, GradientNorms gradNorms,
                                 boolean collectStats) {
        requireAll(grads);
        if (!Double.isFinite(lr) || lr < 0) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
        }
        Autograd.disableOnThisThread();
        step++;
        double bc1 = 1 - Math.pow(settings.beta1(), step);
        double bc2 = 1 - Math.pow(settings.beta2(), step);
        try (NDManager stepTmp = state.newSubManager()) {
            // scalars as 0-d arrays once per step: an op with a Java number creates one per call
            NDArray b1 = stepTmp.create((float) settings.beta1());
            NDArray oneMinusB1 = stepTmp.create((float) (1 - settings.beta1()));
            NDArray b2 = stepTmp.create((float) settings.beta2());
            NDArray oneMinusB2 = stepTmp.create((float) (1 - settings.beta2()));
            NDArray invSqrtBc2 = stepTmp.create((float) (1 / Math.sqrt(bc2)));
            NDArray eps = stepTmp.create((float) settings.eps());
            NDArray stepSize = stepTmp.create((float) (lr / bc1));
            NDArray decay = stepTmp.create((float) (lr * settings.weightDecay()));
            boolean anyDecay = lr * settings.weightDecay() != 0;
            NDList weightNorms = new NDList();
            NDList updateNorms = new NDList();
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                String name = e.getKey();
                NDArray w = e.getValue().getArray();
                NDArray g = grads.get(name);
                NDArray mm = m.get(name);
                NDArray vv = v.get(name);
                boolean decays = anyDecay && settings.decayedGroups().contains(groups.get(name));
                try (NDManager tmp = stepTmp.newSubManager()) {
                    tmp.tempAttachAll(w, g, mm, vv);
                    mm.muli(b1).addi(g.mul(oneMinusB1));
                    vv.muli(b2).addi(g.square().muli(oneMinusB2));
                    NDArray denom = vv.sqrt().muli(invSqrtBc2).addi(eps);
                    NDArray upd = mm.div(denom).muli(stepSize);
                    if (decays) {
                        upd.addi(w.mul(decay));
                    }
                    w.subi(upd);
                    if (collectStats) {
                        NDArray un = upd.norm();
                        NDArray wn = w.norm();
                        un.attach(stepTmp);
                        wn.attach(stepTmp);
                        updateNorms.add(un);
                        weightNorms.add(wn);
                    }
                }
            }
            if (!collectStats) {
                return List.of();
            }
            float[] all = NDArrays.stack(new NDList(NDArrays.stack(weightNorms), NDArrays.stack(updateNorms)))
                    .toFloatArray();
            return groupStats(all, lr, gradNorms);
        }
    }

    private List<GroupStats> groupStats(float[] all, double lr, GradientNorms gradNorms) {
        int n = parameters.size();
        Map<ParameterGroup, double[]> acc = new EnumMap<>(ParameterGroup.class);
        int i = 0;
        for (String name : parameters.keySet()) {
            double[] a = acc.computeIfAbsent(groups.get(name), g -> new double[3]);
            a[0] += (double) all[i] * all[i];
            a[1] += (double) all[n + i] * all[n + i];
            a[2] += 1;
            i++;
        }
        List<GroupStats> out = new ArrayList<>();
        acc.forEach((g, a) -> out.add(new GroupStats(g, (int) a[2], Math.sqrt(a[0]), Math.sqrt(a[1]),
                gradNorms == null ? Double.NaN : gradNorms.group(g), lr / a[0])));
        return List.copyOf(out);
    }

    /** Copies moments and step count into {@code other} (same names and shapes) exactly. */
    public void copyStateInto(AdamW other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            return;
        }
        if (!other.parameters.keySet().equals(parameters.keySet())) {
            throw new IllegalArgumentException("optimizers differ in parameters");
        }
        Autograd.disableOnThisThread();
        for (String name : parameters.keySet()) {
            Gpt.copyInto(m.get(name), other.m.get(name), other.state);
            Gpt.copyInto(v.get(name), other.v.get(name), other.state);
        }
        other.step = step;
    }

    /**
     * Writes the state to {@code file} atomically: safetensors with tensors {@code m/<name>} and
     * {@code v/<name>} (float32, raw little-endian, bit-exact) in parameter order, and metadata
     * {@code format=cpt.adamw}, {@code version=1}, {@code step}, and the settings (informational).
     */
    public void save(Path file) throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (String name : parameters.keySet()) {
            tensors.put("m/" + name, m.get(name));
        }
        for (String name : parameters.keySet()) {
            tensors.put("v/" + name, v.get(name));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", "1");
        meta.put("step", Long.toString(step));
        meta.put("beta1", Double.toString(settings.beta1()));
        meta.put("beta2", Double.toString(settings.beta2()));
        meta.put("eps", Double.toString(settings.eps()));
        meta.put("weightDecay", Double.toString(settings.weightDecay()));
        meta.put("maxGradNorm", Double.toString(settings.maxGradNorm()));
        meta.put("decayedGroups", settings.decayedGroups().stream().map(ParameterGroup::label)
                .collect(Collectors.joining(",")));
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Restores moments and step count written by {@link #save(Path)}, in place and exactly. The
     * hyper-parameters are this optimizer's (a run may change them on restart); the file must hold
     * exactly this optimizer's parameter names and shapes.
     */
    public void load(Path file) throws IOException {
        Autograd.disableOnThisThread();
        try (SafeTensors.Reader r = SafeTensors.open(file)) {
            Map<String, String> meta = r.metadata();
            if (!FORMAT.equals(meta.get("format"))) {
                throw new IOException(file + ": not an AdamW state file (format=" + meta.get("format") + ")");
            }
            if (!"1".equals(meta.get("version"))) {
                throw new IOException(file + ": unsupported AdamW state version " + meta.get("version"));
            }
            long savedStep;
            try {
                savedStep = Long.parseLong(meta.get("step"));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": bad step count '" + meta.get("step") + "'");
            }
            if (savedStep < 0) {
                throw new IOException(file + ": negative step count " + savedStep);
            }
            Set<String> expected = new HashSet<>();
            for (String name : parameters.keySet()) {
                expected.add("m/" + name);
                expected.add("v/" + name);
            }
            if (!new HashSet<>(r.names()).equals(expected)) {
                Set<String> missing = new HashSet<>(expected);
                missing.removeAll(r.names());
                Set<String> extra = new HashSet<>(r.names());
                extra.removeAll(expected);
                throw new IOException(file + ": state does not match the model: missing " + missing
                        + ", unexpected " + extra);
            }
            for (String name : parameters.keySet()) {
                for (Map<String, NDArray> moments : List.of(m, v)) {
                    String key = (moments == m ? "m/" : "v/") + name;
                    NDArray dst = moments.get(name);
                    if (!r.shape(key).equals(dst.getShape())) {
                        throw new IOException(file + ": " + key + " has shape " + r.shape(key)
                                + ", the parameter " + dst.getShape());
                    }
                }
            }
            for (String name : parameters.keySet()) {
                try (NDManager tmp = state.newSubManager()) {
                    Gpt.copyInto(r.read("m/" + name, tmp), m.get(name), tmp);
                    Gpt.copyInto(r.read("v/" + name, tmp), v.get(name), tmp);
                }
            }
            step = savedStep;
        }
    }

    /** Host copy of the first moment of {@code name}. */
    public float[] firstMoment(String name) {
        return moment(m, name).toFloatArray();
    }

    /** Host copy of the second moment of {@code name}. */
    public float[] secondMoment(String name) {
        return moment(v, name).toFloatArray();
    }

    private NDArray moment(Map<String, NDArray> moments, String name) {
        NDArray a = moments.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return a;
    }

    private void requireAll(Map<String, NDArray> grads) {
        Objects.requireNonNull(grads, "grads");
        if (!grads.keySet().equals(parameters.keySet())) {
            Set<String> missing = new HashSet<>(parameters.keySet());
            missing.removeAll(grads.keySet());
            Set<String> extra = new HashSet<>(grads.keySet());
            extra.removeAll(parameters.keySet());
            throw new IllegalArgumentException("gradients must cover exactly the parameters: missing " + missing
                    + ", unexpected " + extra);
        }
    }

    /** Frees the moments. */
    @Override
    public void close() {
        state.close();
    }
}
