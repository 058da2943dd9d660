package dev.cpt.trainer.model;

import java.util.List;
import java.util.Locale;

/**
 * Shape of a GPT-style causal language model (see {@link Gpt}).
 *
 * <p>The vocabulary size and the context length come from the data (the ingest's tokenizer and
 * sequence length); the presets fix the width and depth only:
 *
 * <table>
 *   <caption>presets</caption>
 *   <tr><th>name</th><th>dModel</th><th>layers</th><th>heads</th><th>mlpRatio</th><th>default context</th><th>use</th></tr>
 *   <tr><td>tiny</td><td>64</td><td>2</td><td>4</td><td>4</td><td>64</td><td>tests</td></tr>
 *   <tr><td>small</td><td>256</td><td>4</td><td>8</td><td>4</td><td>256</td><td>CPU demo, ~3.2 M + vocab x 256 parameters</td></tr>
 *   <tr><td>base</td><td>768</td><td>12</td><td>12</td><td>4</td><td>1024</td><td>GPT-2 124M (with GPT-2's 50257 tokens)</td></tr>
 * </table>
 *
 * @param vocabSize number of token ids, ids are {@code [0, vocabSize)}
 * @param context   longest input sequence (number of learned positions)
 * @param dModel    residual stream width; a multiple of {@code heads}
 * @param heads     attention heads per layer
 * @param layers    transformer blocks
 * @param mlpRatio  MLP hidden width = {@code mlpRatio * dModel}
 * @param seed      initialisation seed: the same config gives bit-identical initial weights
 */
public record GptConfig(int vocabSize, int context, int dModel, int heads, int layers, int mlpRatio, long seed) {

    /** Seed of the presets unless {@link #withSeed(long)} says otherwise. */
    public static final long DEFAULT_SEED = 1234L;

    /** Names accepted by {@link #preset(String, int, int)}. */
    public static final List<String> PRESETS = List.of("tiny", "small", "base");

    public GptConfig {
        require(vocabSize >= 2, "vocabSize must be >= 2, got " + vocabSize);
        require(context >= 1, "context must be >= 1, got " + context);
        require(dModel >= 1, "dModel must be >= 1, got " + dModel);
        require(heads >= 1, "heads must be >= 1, got " + heads);
        require(layers >= 1, "layers must be >= 1, got " + layers);
        require(mlpRatio >= 1, "mlpRatio must be >= 1, got " + mlpRatio);
        require(dModel % heads == 0,
                "dModel (" + dModel + ") must be a multiple of heads (" + heads + ")");
        require((long) vocabSize * dModel <= Integer.MAX_VALUE,
                "vocabSize x dModel = " + (long) vocabSize * dModel + " exceeds the largest tensor (2^31-1 elements)");
        require((long) context * dModel <= Integer.MAX_VALUE,
                "context x dModel = " + (long) context * dModel + " exceeds the largest tensor (2^31-1 elements)");
        require((long) mlpRatio * dModel * dModel <= Integer.MAX_VALUE,
                "mlpRatio x dModel^2 exceeds the largest tensor (2^31-1 elements)");
    }

    /** Test preset: d 64, 2 layers, 4 heads. */
    public static GptConfig tiny(int vocabSize, int context) {
        return new GptConfig(vocabSize, context, 64, 4, 2, 4, DEFAULT_SEED);
    }

    /** CPU demo preset: d 256, 4 layers, 8 heads. */
    public static GptConfig small(int vocabSize, int context) {
        return new GptConfig(vocabSize, context, 256, 8, 4, 4, DEFAULT_SEED);
    }

    /** GPT-2 small (124M with vocabulary 50257 and context 1024): d 768, 12 layers, 12 heads. */
    public static GptConfig base(int vocabSize, int context) {
        return new GptConfig(vocabSize, context, 768, 12, 12, 4, DEFAULT_SEED);
    }

    /**
     * A preset by name ({@code tiny}, {@code small}, {@code base}; case-insensitive) for the
     * tokenizer's vocabulary and the sequence length of the data.
     *
     * @throws IllegalArgumentException for an unknown name or invalid sizes
     */
    public static GptConfig preset(String name, int vocabSize, int context) {
        if (name == null) {
            throw new IllegalArgumentException("preset name is null; expected one of " + PRESETS);
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "tiny" -> tiny(vocabSize, context);
            case "small" -> small(vocabSize, context);
            case "base" -> base(vocabSize, context);
            default -> throw new IllegalArgumentException(
                    "unknown model preset '" + name + "'; expected one of " + PRESETS);
        };
    }

    /** The preset with its usual context (tiny 64, small 256, base 1024). */
    public static GptConfig preset(String name, int vocabSize) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        int context = switch (n) {
            case "tiny" -> 64;
            case "small" -> 256;
            case "base" -> 1024;
            default -> throw new IllegalArgumentException(
                    "unknown model preset '" + name + "'; expected one of " + PRESETS);
        };
        return preset(n, vocabSize, context);
    }

    /** This config with another initialisation seed. */
    public GptConfig withSeed(long newSeed) {
        return new GptConfig(vocabSize, context, dModel, heads, layers, mlpRatio, newSeed);
    }

    /** Width of one attention head. */
    public int headDim() {
        return dModel / heads;
    }

    /** Hidden width of the MLP. */
    public int mlpHidden() {
        return mlpRatio * dModel;
    }

    /** Parameters of one transformer block: 2 LayerNorms, qkv and output projections, the MLP. */
    public long parametersPerLayer() {
        long d = dModel;
        long h = mlpHidden();
        return 2 * d                 // ln1 gamma, beta
                + 3 * d * d + 3 * d  // attn.qkv
                + d * d + d          // attn.out
                + 2 * d              // ln2
                + h * d + h          // mlp.in
                + d * h + d;         // mlp.out
    }

    /**
     * Number of trainable scalars: token embedding (shared with the output head, counted once),
     * positions, the blocks and the final LayerNorm. GPT-2 124M: 124,439,808.
     */
    public long parameterCount() {
        long d = dModel;
        return (long) vocabSize * d + (long) context * d + layers * parametersPerLayer() + 2 * d;
    }

    /**
     * Training FLOPs per token (forward + backward) at full context, the PaLM / nanoGPT estimate
     * {@code 6 N + 12 L d T}:
     * <ul>
     *   <li>{@code 6 N}: every parameter that multiplies takes 2 FLOPs forward and 4 backward;
     *       {@code N = parameterCount() - context * dModel} (the position table is a lookup and
     *       does not multiply; the token table does, once, as the tied output head). LayerNorm
     *       and bias parameters are included as in the usual estimate (they are &lt; 0.1 %).</li>
     *   <li>{@code 12 L d T}: attention scores {@code QK^T} and the weighted sum {@code AV},
     *       {@code 2 d T} FLOPs each per token and layer forward, times 3 for forward + backward.
     *       The full {@code T x T} matrix is counted because it is computed (masking does not skip
     *       work here).</li>
     * </ul>
     * Element-wise work (softmax, GELU, norms, the loss) is not counted. For GPT-2 124M at T 1024:
     * 855,166,464.
     */
    public long flopsPerToken() {
        return flopsPerToken(context);
    }

    /** {@link #flopsPerToken()} for sequences of {@code seqLen} tokens. */
    public long flopsPerToken(int seqLen) {
        if (seqLen < 1 || seqLen > context) {
            throw new IllegalArgumentException("seqLen must be in [1, " + context + "], got " + seqLen);
        }
        long matmulParams = parameterCount() - (long) context * dModel;
        return 6 * matmulParams + 12L * layers * dModel * seqLen;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid GptConfig: " + message);
        }
    }

    /** The fields by name, as checkpoints and manifests record them. */
    public java.util.Map<String, Long> toMap() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        m.put("vocabSize", (long) vocabSize());
        m.put("context", (long) context());
        m.put("dModel", (long) dModel());
        m.put("heads", (long) heads());
        m.put("layers", (long) layers());
        m.put("mlpRatio", (long) mlpRatio());
        m.put("seed", seed());
        return m;
    }

    /** The inverse of {@link #toMap()}; a missing field is an IllegalArgumentException naming it. */
    public static GptConfig fromMap(java.util.Map<String, Long> m) {
        for (String k : java.util.List.of("vocabSize", "context", "dModel", "heads", "layers", "mlpRatio", "seed")) {
            if (m.get(k) == null) {
                throw new IllegalArgumentException("model configuration without " + k + ": " + m);
            }
        }
        return new GptConfig(m.get("vocabSize").intValue(), m.get("context").intValue(), m.get("dModel").intValue(),
                m.get("heads").intValue(), m.get("layers").intValue(), m.get("mlpRatio").intValue(), m.get("seed"));
    }
}
