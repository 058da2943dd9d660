package dev.cpt.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pre-LayerNorm transformer block: {@code x += attn(ln1(x)); x += mlp(ln2(x))}, causal
 * multi-head self-attention with an additive mask and a GELU MLP. Input
 * {@code NDList(x (B,T,d), mask (T,T))}, output {@code NDList(x)}.
 *
 * <p>Every operation takes a per-step array as its FIRST operand, so that all intermediate results
 * land in the caller's (per-step) manager and never in the model's manager.
 */
final class GptLayer extends AbstractBlock {

    static final float LN_EPS = 1e-5f;

    /** Local names in canonical order; the full name is {@code "h<i>." + local}. */
    static final String[] LOCAL_NAMES = {
        "ln1.gamma", "ln1.beta",
        "attn.qkv.weight", "attn.qkv.bias",
        "attn.out.weight", "attn.out.bias",
        "ln2.gamma", "ln2.beta",
        "mlp.in.weight", "mlp.in.bias",
        "mlp.out.weight", "mlp.out.bias",
    };

    private final int d;
    private final int heads;
    private final Shape normShape;
    private final Map<String, Parameter> named = new LinkedHashMap<>();
    private final Parameter ln1g;
    private final Parameter ln1b;
    private final Parameter qkvW;
    private final Parameter qkvB;
    private final Parameter outW;
    private final Parameter outB;
    private final Parameter ln2g;
    private final Parameter ln2b;
    private final Parameter inW;
    private final Parameter inB;
    private final Parameter mlpOutW;
    private final Parameter mlpOutB;

    GptLayer(GptConfig c, int index) {
        super((byte) 1);
        this.d = c.dModel();
        this.heads = c.heads();
        this.normShape = new Shape(d);
        long h = c.mlpHidden();
        String p = "h" + index + ".";
        double std = Gpt.INIT_STD;
        double residualStd = Gpt.INIT_STD / Math.sqrt(2.0 * c.layers());
        ln1g = param(Init.ones(p + "ln1.gamma", Parameter.Type.GAMMA, new Shape(d)));
        ln1b = param(Init.zeros(p + "ln1.beta", Parameter.Type.BETA, new Shape(d)));
        qkvW = param(Init.normal(c.seed(), p + "attn.qkv.weight", new Shape(3L * d, d), std));
        qkvB = param(Init.zeros(p + "attn.qkv.bias", Parameter.Type.BIAS, new Shape(3L * d)));
        outW = param(Init.normal(c.seed(), p + "attn.out.weight", new Shape(d, d), residualStd));
        outB = param(Init.zeros(p + "attn.out.bias", Parameter.Type.BIAS, new Shape(d)));
        ln2g = param(Init.ones(p + "ln2.gamma", Parameter.Type.GAMMA, new Shape(d)));
        ln2b = param(Init.zeros(p + "ln2.beta", Parameter.Type.BETA, new Shape(d)));
        inW = param(Init.normal(c.seed(), p + "mlp.in.weight", new Shape(h, d), std));
        inB = param(Init.zeros(p + "mlp.in.bias", Parameter.Type.BIAS, new Shape(h)));
        mlpOutW = param(Init.normal(c.seed(), p + "mlp.out.weight", new Shape(d, h), residualStd));
        mlpOutB = param(Init.zeros(p + "mlp.out.bias", Parameter.Type.BIAS, new Shape(d)));
    }

    private Parameter param(Parameter parameter) {
        named.put(parameter.getName(), parameter);
        return addParameter(parameter);
    }

    /** This block's parameters by full name, canonical order. */
    Map<String, Parameter> named() {
        return named;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        var dev = x.getDevice();
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int hd = d / heads;

        NDArray h = LayerNorm.layerNorm(x, normShape, ps.getValue(ln1g, dev, training),
                ps.getValue(ln1b, dev, training), LN_EPS).head();
        NDArray qkv = Linear.linear(h, ps.getValue(qkvW, dev, training), ps.getValue(qkvB, dev, training)).head();
        NDList parts = qkv.split(3, 2);
        // not mul(float): DJL backs that scalar with a direct buffer it frees right after the op,
        // while the graph keeps the scalar for the backward pass (garbage gradients after a GC)
        NDArray scale = x.getManager().full(new Shape(), 1.0f / (float) Math.sqrt(hd), DataType.FLOAT32);
        NDArray q = parts.get(0).reshape(b, t, heads, hd).transpose(0, 2, 1, 3).mul(scale);
        NDArray k = parts.get(1).reshape(b, t, heads, hd).transpose(0, 2, 3, 1);
        NDArray v = parts.get(2).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        NDArray att = q.matMul(k).add(mask).softmax(-1);             // (B,H,T,T) + (T,T)
        NDArray y = att.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, d);
        x = x.add(Linear.linear(y, ps.getValue(outW, dev, training), ps.getValue(outB, dev, training)).head());

        NDArray h2 = LayerNorm.layerNorm(x, normShape, ps.getValue(ln2g, dev, training),
                ps.getValue(ln2b, dev, training), LN_EPS).head();
        NDArray f = Activation.gelu(
                Linear.linear(h2, ps.getValue(inW, dev, training), ps.getValue(inB, dev, training)).head());
        x = x.add(Linear.linear(f, ps.getValue(mlpOutW, dev, training), ps.getValue(mlpOutB, dev, training)).head());
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no child blocks: all parameters are direct
    }
}
