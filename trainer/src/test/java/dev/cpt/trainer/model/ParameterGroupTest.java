package dev.cpt.trainer.model;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParameterGroupTest {

    @Test
    void namesAreClassifiedByRole() {
        assertThat(ParameterGroup.of("wte")).isEqualTo(ParameterGroup.EMBEDDINGS);
        assertThat(ParameterGroup.of("wpe")).isEqualTo(ParameterGroup.EMBEDDINGS);
        assertThat(ParameterGroup.of("h0.attn.qkv.weight")).isEqualTo(ParameterGroup.ATTN_QKV);
        assertThat(ParameterGroup.of("h11.attn.out.weight")).isEqualTo(ParameterGroup.ATTN_OUT);
        assertThat(ParameterGroup.of("h3.mlp.in.weight")).isEqualTo(ParameterGroup.MLP_IN);
        assertThat(ParameterGroup.of("h3.mlp.out.weight")).isEqualTo(ParameterGroup.MLP_OUT);
        assertThat(ParameterGroup.of("h0.ln1.gamma")).isEqualTo(ParameterGroup.NORMS);
        assertThat(ParameterGroup.of("h0.ln2.beta")).isEqualTo(ParameterGroup.NORMS);
        assertThat(ParameterGroup.of("lnf.gamma")).isEqualTo(ParameterGroup.NORMS);
        assertThat(ParameterGroup.of("lnf.beta")).isEqualTo(ParameterGroup.NORMS);
        assertThat(ParameterGroup.of("h0.attn.qkv.bias")).isEqualTo(ParameterGroup.BIASES);
        assertThat(ParameterGroup.of("h7.mlp.out.bias")).isEqualTo(ParameterGroup.BIASES);
    }

    @Test
    void unknownNamesAreRejected() {
        for (String bad : new String[] {"", "h.attn.qkv.weight", "h01.ln1.gamma", "h0.attn.qkv", "lnf", "h0_01ln1_gamma"}) {
            assertThatThrownBy(() -> ParameterGroup.of(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a GPT parameter name");
        }
    }

    @Test
    void groupsAreTheSameSevenWhateverTheDepth() {
        Set<ParameterGroup> shallow = groupsOf(new GptConfig(16, 4, 8, 2, 1, 2, 1));
        Set<ParameterGroup> deep = groupsOf(new GptConfig(16, 4, 8, 2, 6, 2, 1));
        assertThat(shallow).isEqualTo(deep).isEqualTo(EnumSet.allOf(ParameterGroup.class));
    }

    @Test
    void labelsRoundTripAndDefaultDecayCoversTheBlockMatricesOnly() {
        for (ParameterGroup g : ParameterGroup.values()) {
            assertThat(ParameterGroup.fromLabel(g.label())).isEqualTo(g);
        }
        assertThat(ParameterGroup.matrices()).containsExactlyInAnyOrder(ParameterGroup.ATTN_QKV,
                ParameterGroup.ATTN_OUT, ParameterGroup.MLP_IN, ParameterGroup.MLP_OUT);
        assertThatThrownBy(() -> ParameterGroup.fromLabel("weights")).hasMessageContaining("attn.qkv");
    }

    private static Set<ParameterGroup> groupsOf(GptConfig c) {
        try (Gpt g = new Gpt(c, Device.cpu())) {
            return g.parameterNames().stream().map(ParameterGroup::of).collect(Collectors.toSet());
        }
    }
}
