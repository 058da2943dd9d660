package dev.cpt.trainer.model;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kinds of parameters of a {@link Gpt}, by role rather than by layer: a fixed, small set
 * independent of depth, so that weight decay can be configured per group and telemetry stays
 * low-cardinality (one series per group, never per tensor).
 *
 * <p>Classification of the {@linkplain Gpt parameter names}:
 * <ul>
 *   <li>{@link #EMBEDDINGS}: {@code wte}, {@code wpe}</li>
 *   <li>{@link #ATTN_QKV}: {@code h<i>.attn.qkv.weight}</li>
 *   <li>{@link #ATTN_OUT}: {@code h<i>.attn.out.weight}</li>
 *   <li>{@link #MLP_IN}: {@code h<i>.mlp.in.weight}</li>
 *   <li>{@link #MLP_OUT}: {@code h<i>.mlp.out.weight}</li>
 *   <li>{@link #NORMS}: every LayerNorm parameter, gain and shift: {@code h<i>.ln1.*},
 *       {@code h<i>.ln2.*}, {@code lnf.*}</li>
 *   <li>{@link #BIASES}: the biases of the linear layers, {@code h<i>.<attn|mlp>.<...>.bias}</li>
 * </ul>
 */
public enum ParameterGroup {
    EMBEDDINGS("embeddings"),
    ATTN_QKV("attn.qkv"),
    ATTN_OUT("attn.out"),
    MLP_IN("mlp.in"),
    MLP_OUT("mlp.out"),
    NORMS("norms"),
    BIASES("biases");

    private static final Pattern LAYER = Pattern.compile(
            "h(0|[1-9][0-9]*)\\.(ln1\\.gamma|ln1\\.beta|ln2\\.gamma|ln2\\.beta"
                    + "|attn\\.qkv\\.weight|attn\\.qkv\\.bias|attn\\.out\\.weight|attn\\.out\\.bias"
                    + "|mlp\\.in\\.weight|mlp\\.in\\.bias|mlp\\.out\\.weight|mlp\\.out\\.bias)");

    private final String label;

    ParameterGroup(String label) {
        this.label = label;
    }

    /** Stable lower-case label for telemetry tags and configuration ({@code "attn.qkv"}, ...). */
    public String label() {
        return label;
    }

    /**
     * The group of a parameter name.
     *
     * @throws IllegalArgumentException when the name is not one of {@link Gpt}'s names
     */
    public static ParameterGroup of(String parameterName) {
        if (parameterName == null) {
            throw new IllegalArgumentException("parameter name is null");
        }
        switch (parameterName) {
            case "wte", "wpe" -> {
                return EMBEDDINGS;
            }
            case "lnf.gamma", "lnf.beta" -> {
                return NORMS;
            }
            default -> {
                // classified below
            }
        }
        Matcher m = LAYER.matcher(parameterName);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a GPT parameter name: '" + parameterName + "'");
        }
        String local = m.group(2);
        if (local.startsWith("ln")) {
            return NORMS;
        }
        if (local.endsWith(".bias")) {
            return BIASES;
        }
        return switch (local) {
            case "attn.qkv.weight" -> ATTN_QKV;
            case "attn.out.weight" -> ATTN_OUT;
            case "mlp.in.weight" -> MLP_IN;
            case "mlp.out.weight" -> MLP_OUT;
            default -> throw new IllegalArgumentException("not a GPT parameter name: '" + parameterName + "'");
        };
    }

    /** The group with this {@link #label()}. */
    public static ParameterGroup fromLabel(String label) {
        for (ParameterGroup g : values()) {
            if (g.label.equals(label)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown parameter group '" + label + "'; expected one of "
                + java.util.Arrays.stream(values()).map(ParameterGroup::label).toList());
    }

    /** The weight matrices of the blocks: the groups AdamW decays by default. */
    public static Set<ParameterGroup> matrices() {
        return EnumSet.of(ATTN_QKV, ATTN_OUT, MLP_IN, MLP_OUT);
    }
}
