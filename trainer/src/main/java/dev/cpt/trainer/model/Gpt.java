package dev.cpt.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * GPT-2-style decoder-only language model as a DJL block: token embedding + learned positions,
 * {@code layers} pre-LayerNorm transformer blocks (causal multi-head self-attention with an
 * additive mask, GELU MLP), a final LayerNorm and an output head tied to the token embedding.
 * Input {@code NDList(ids (B,T) int64)} with {@code T <= context}; output {@code NDList(logits (B,T,V))}.
 *
 * <h2>Parameter names</h2>
 * Optimizer state and checkpoints key on these names; they are stable (part of the checkpoint
 * format) and listed by {@link #namedParameters()} in this canonical order:
 * <pre>
 *   wte                    (V, d)     token embedding, also the output head (logits = x wte^T)
 *   wpe                    (C, d)     learned positions
 *   h&lt;i&gt;.ln1.gamma, h&lt;i&gt;.ln1.beta          (d)
 *   h&lt;i&gt;.attn.qkv.weight (3d, d)  h&lt;i&gt;.attn.qkv.bias (3d)    q, k, v stacked in that order
 *   h&lt;i&gt;.attn.out.weight (d, d)   h&lt;i&gt;.attn.out.bias (d)
 *   h&lt;i&gt;.ln2.gamma, h&lt;i&gt;.ln2.beta          (d)
 *   h&lt;i&gt;.mlp.in.weight   (rd, d)  h&lt;i&gt;.mlp.in.bias (rd)
 *   h&lt;i&gt;.mlp.out.weight  (d, rd)  h&lt;i&gt;.mlp.out.bias (d)
 *   lnf.gamma, lnf.beta    (d)
 * </pre>
 * for {@code i = 0 .. layers-1}; linear weights are {@code (out, in)} as in PyTorch / DJL.
 * {@link ParameterGroup#of(String)} classifies them.
 *
 * <h2>Initialisation (GPT-2)</h2>
 * Normal with std 0.02 for {@code wte}, {@code wpe} and the qkv and MLP-in matrices; std
 * {@code 0.02 / sqrt(2 layers)} for the residual output projections ({@code attn.out},
 * {@code mlp.out}); biases 0; LayerNorm gains 1 and shifts 0. Values are a function of
 * {@link GptConfig#seed()} and the parameter name only: the same config gives bit-identical
 * weights on every run and device.
 *
 * <h2>Memory</h2>
 * The model owns one base {@link NDManager} ({@link #manager()}) holding exactly its parameters
 * (and the optimizer state, in a sub-manager). Every forward pass must get its inputs from a
 * per-step sub-manager: DJL places an operation's result in the manager of its first operand,
 * and all operations here take the input-derived array first.
 */
public final class Gpt extends AbstractBlock implements AutoCloseable {

    /** Standard deviation of GPT-2's normal initialisation. */
    public static final double INIT_STD = 0.02;

    /** Additive mask value above the diagonal: exp(-1e9 + O(10)) is exactly 0 in float32. */
    static final float MASKED = -1e9f;

    private final GptConfig config;
    private final Parameter wte;
    private final Parameter wpe;
    private final Parameter lnfGamma;
    private final Parameter lnfBeta;
    private final List<GptLayer> layers = new ArrayList<>();
    private final Map<String, Parameter> named;
    private final NDManager manager;
    private final ParameterStore store;

    /**
     * Builds the model and initialises its parameters on {@code device} from the config's seed.
     *
     * @param device {@code Device.cpu()} or {@code Device.gpu(n)}
     */
    public Gpt(GptConfig config, Device device) {
        super((byte) 1);
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(device, "device");
        Map<String, Parameter> all = new LinkedHashMap<>();
        int d = config.dModel();
        wte = addParameter(Init.normal(config.seed(), "wte", new Shape(config.vocabSize(), d), INIT_STD));
        wpe = addParameter(Init.normal(config.seed(), "wpe", new Shape(config.context(), d), INIT_STD));
        all.put("wte", wte);
        all.put("wpe", wpe);
        for (int i = 0; i < config.layers(); i++) {
            GptLayer layer = addChildBlock("h" + i, new GptLayer(config, i));
            layers.add(layer);
            all.putAll(layer.named());
        }
        lnfGamma = addParameter(Init.ones("lnf.gamma", Parameter.Type.GAMMA, new Shape(d)));
        lnfBeta = addParameter(Init.zeros("lnf.beta", Parameter.Type.BETA, new Shape(d)));
        all.put("lnf.gamma", lnfGamma);
        all.put("lnf.beta", lnfBeta);
        this.named = Collections.unmodifiableMap(all);

        this.manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            initialize(manager, DataType.FLOAT32, new Shape(1, config.context()));
            this.store = new ParameterStore(manager, false);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public GptConfig config() {
        return config;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** The manager that owns the parameters (open sub-managers of it for steps). */
    public NDManager manager() {
        return manager;
    }

    /** Parameter store for {@link #forward(ParameterStore, NDList, boolean)}. */
    public ParameterStore parameterStore() {
        return store;
    }

    /** All parameters by stable name, canonical order (see the class comment); unmodifiable. */
    public Map<String, Parameter> namedParameters() {
        return named;
    }

    /** The canonical parameter names. */
    public List<String> parameterNames() {
        return List.copyOf(named.keySet());
    }

    /** The parameter array of {@code name}. */
    public NDArray array(String name) {
        Parameter p = named.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return p.getArray();
    }

    /** A host copy of the values of parameter {@code name}. */
    public float[] values(String name) {
        return array(name).toFloatArray();
    }

    /** Total number of scalars, counted from the arrays. */
    public long actualParameterCount() {
        long n = 0;
        for (Parameter p : named.values()) {
            n += p.getArray().size();
        }
        return n;
    }

    /**
     * Logits for {@code ids} (B,T) int64 created in a per-step manager; the result lives in that
     * manager. {@code training} selects gradient recording by the caller's collector only (no
     * dropout here).
     */
    public NDArray logits(NDArray ids, boolean training) {
        return forward(store, new NDList(ids), training).head();
    }

    /**
     * Mean next-token cross entropy (nats) of {@code logits} (B,T,V) against {@code targets}
     * (B,T) int64.
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).neg().mean();
    }

    /** Additive causal mask (T,T) in {@code manager}: 0 on and below the diagonal, -1e9 above. */
    public static NDArray causalMask(NDManager manager, long t) {
        NDArray i = manager.arange(0, (int) t, 1, DataType.INT64).reshape(t, 1);
        NDArray j = manager.arange(0, (int) t, 1, DataType.INT64).reshape(1, t);
        return j.gt(i).toType(DataType.FLOAT32, false).mul(MASKED);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.head();
        Shape s = ids.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("ids must be (batch, time), got " + s);
        }
        if (ids.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException("ids must be int64, got " + ids.getDataType());
        }
        long t = s.get(1);
        if (t < 1 || t > config.context()) {
            throw new IllegalArgumentException("sequence length " + t + " outside [1, " + config.context() + "]");
        }
        NDManager m = ids.getManager();
        Device dev = ids.getDevice();
        NDArray tokenTable = ps.getValue(wte, dev, training);
        NDArray positionTable = ps.getValue(wpe, dev, training);
        NDArray pos = m.arange(0, (int) t, 1, DataType.INT64);
        NDArray x = Embedding.embedding(ids, tokenTable, SparseFormat.DENSE).head()
                .add(Embedding.embedding(pos, positionTable, SparseFormat.DENSE).head());
        NDArray mask = causalMask(m, t);
        for (GptLayer layer : layers) {
            x = layer.forward(ps, new NDList(x, mask), training).head();
        }
        x = LayerNorm.layerNorm(x, new Shape(config.dModel()), ps.getValue(lnfGamma, dev, training),
                ps.getValue(lnfBeta, dev, training), GptLayer.LN_EPS).head();
        return new NDList(Linear.linear(x, tokenTable).head());
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType dataType, Shape... inputShapes) {
        Shape x = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.dModel());
        Shape mask = new Shape(inputShapes[0].get(1), inputShapes[0].get(1));
        for (GptLayer layer : layers) {
            layer.initialize(m, dataType, x, mask);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.vocabSize())};
    }

    /**
     * Copies every parameter into {@code other} (same shapes required) exactly, in place: the
     * other model's arrays, gradients and parameter store stay valid. Works across devices.
     */
    public void copyWeightsInto(Gpt other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            return;
        }
        requireSameShapes(other);
        Autograd.disableOnThisThread();
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            copyInto(e.getValue().getArray(), other.named.get(e.getKey()).getArray(), other.manager);
        }
    }

    /**
     * Exact in-place copy {@code src -> dst} (NaN and infinities included): temporaries go to a
     * sub-manager of {@code scratchParent} and are freed before returning.
     */
    public static void copyInto(NDArray src, NDArray dst, NDManager scratchParent) {
        if (!src.getShape().equals(dst.getShape())) {
            throw new IllegalArgumentException("shape mismatch: " + src.getShape() + " -> " + dst.getShape());
        }
        try (NDManager tmp = scratchParent.newSubManager(dst.getDevice())) {
            NDArray from = src;
            if (!src.getDevice().equals(dst.getDevice())) {
                from = src.toDevice(dst.getDevice(), true);
                from.attach(tmp);
            }
            tmp.tempAttachAll(dst);
            dst.set(new NDIndex("..."), from);
        }
    }

    private void requireSameShapes(Gpt other) {
        if (!other.named.keySet().equals(named.keySet())) {
            throw new IllegalArgumentException("models differ in parameters: " + config + " vs " + other.config);
        }
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            Shape a = e.getValue().getArray().getShape();
            Shape b = other.named.get(e.getKey()).getArray().getShape();
            if (!a.equals(b)) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " has shape " + a
                        + " here but " + b + " in the other model");
            }
        }
    }

    /**
     * Writes all parameters to {@code file} (safetensors, F32, canonical names; metadata
     * {@code format=cpt.gpt}, {@code version=1} and the config fields) atomically.
     */
    public void save(Path file) throws IOException {
        save(file, Map.of());
    }

    /** {@link #save(Path)} with more string metadata (e.g. a branch's step, tokens and id); the model's own keys win. */
    public void save(Path file, Map<String, String> extraMetadata) throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        named.forEach((k, v) -> tensors.put(k, v.getArray()));
        Map<String, String> meta = new LinkedHashMap<>(new java.util.TreeMap<>(extraMetadata));
        meta.put("format", "cpt.gpt");
        meta.put("version", "1");
        meta.put("vocabSize", Integer.toString(config.vocabSize()));
        meta.put("context", Integer.toString(config.context()));
        meta.put("dModel", Integer.toString(config.dModel()));
        meta.put("heads", Integer.toString(config.heads()));
        meta.put("layers", Integer.toString(config.layers()));
        meta.put("mlpRatio", Integer.toString(config.mlpRatio()));
        meta.put("seed", Long.toString(config.seed()));
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Reads parameters written by {@link #save(Path)} into this model, in place and exactly. The
     * file must hold exactly this model's names and shapes (the seed may differ).
     *
     * @throws IOException for an unreadable or malformed file, or one that does not fit this model
     */
    public void load(Path file) throws IOException {
        Autograd.disableOnThisThread();
        try (SafeTensors.Reader r = SafeTensors.open(file)) {
            String format = r.metadata().get("format");
            if (!"cpt.gpt".equals(format)) {
                throw new IOException(file + ": not a cpt model file (format=" + format + ")");
            }
            if (!r.names().equals(named.keySet())) {
                throw new IOException(file + ": parameters " + r.names() + " do not match the model's "
                        + named.keySet());
            }
            for (Map.Entry<String, Parameter> e : named.entrySet()) {
                NDArray dst = e.getValue().getArray();
                Shape fileShape = r.shape(e.getKey());
                if (!fileShape.equals(dst.getShape())) {
                    throw new IOException(file + ": parameter " + e.getKey() + " has shape " + fileShape
                            + ", the model " + dst.getShape());
                }
                try (NDManager tmp = manager.newSubManager()) {
                    copyInto(r.read(e.getKey(), tmp), dst, tmp);
                }
            }
        }
    }

    /** Frees the parameters (and everything else in {@link #manager()}). */
    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "Gpt" + config + " on " + device();
    }
}
