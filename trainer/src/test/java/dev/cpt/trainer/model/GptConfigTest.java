package dev.cpt.trainer.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GptConfigTest {

    @Test
    void presetsHaveTheDocumentedWidthDepthAndHeads() {
        assertThat(GptConfig.preset("tiny", 256, 64))
                .isEqualTo(new GptConfig(256, 64, 64, 4, 2, 4, GptConfig.DEFAULT_SEED));
        assertThat(GptConfig.preset("small", 256, 256))
                .isEqualTo(new GptConfig(256, 256, 256, 8, 4, 4, GptConfig.DEFAULT_SEED));
        assertThat(GptConfig.preset("base", 50257, 1024))
                .isEqualTo(new GptConfig(50257, 1024, 768, 12, 12, 4, GptConfig.DEFAULT_SEED));
    }

    @Test
    void presetTakesVocabularyAndContextFromTheDataAndIgnoresCase() {
        GptConfig c = GptConfig.preset(" Small ", 1000, 128);
        assertThat(c.vocabSize()).isEqualTo(1000);
        assertThat(c.context()).isEqualTo(128);
        assertThat(GptConfig.preset("base", 50257).context()).isEqualTo(1024);
        assertThat(GptConfig.preset("tiny", 256).withSeed(7).seed()).isEqualTo(7);
    }

    @Test
    void unknownPresetNamesAreRejectedWithTheChoices() {
        assertThatThrownBy(() -> GptConfig.preset("huge", 256, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("huge").hasMessageContaining("[tiny, small, base]");
        assertThatThrownBy(() -> GptConfig.preset(null, 256, 64)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidShapesAreRejectedWithClearMessages() {
        assertThatThrownBy(() -> new GptConfig(256, 64, 66, 4, 2, 4, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dModel (66) must be a multiple of heads (4)");
        assertThatThrownBy(() -> new GptConfig(1, 64, 64, 4, 2, 4, 1))
                .hasMessageContaining("vocabSize must be >= 2, got 1");
        assertThatThrownBy(() -> new GptConfig(256, 0, 64, 4, 2, 4, 1))
                .hasMessageContaining("context must be >= 1, got 0");
        assertThatThrownBy(() -> new GptConfig(256, 64, 64, 4, 0, 4, 1))
                .hasMessageContaining("layers must be >= 1, got 0");
        assertThatThrownBy(() -> new GptConfig(256, 64, 64, 0, 2, 4, 1))
                .hasMessageContaining("heads must be >= 1, got 0");
        assertThatThrownBy(() -> new GptConfig(256, 64, 64, 4, 2, 0, 1))
                .hasMessageContaining("mlpRatio must be >= 1, got 0");
        assertThatThrownBy(() -> new GptConfig(3_000_000, 64, 1024, 4, 2, 4, 1))
                .hasMessageContaining("vocabSize x dModel");
    }

    @Test
    void baseIsGpt2Small124M() {
        assertThat(GptConfig.base(50257, 1024).parameterCount()).isEqualTo(124_439_808L);
    }

    /** 6 (N - context d) + 12 L d T, worked out by hand for each row. */
    @ParameterizedTest(name = "{0} V={1} T={2}: N={3}, FLOPs/token={4}")
    @CsvSource({
        "tiny,  256,   64,   120576,    797184",
        "small, 256,   256,  3290624,   22496256",
        "base,  50257, 1024, 124439808, 855166464",
    })
    void parameterCountAndFlopsPerTokenFollowTheDocumentedFormula(String preset, int vocab, int context,
                                                                  long params, long flops) {
        GptConfig c = GptConfig.preset(preset, vocab, context);
        assertThat(c.parameterCount()).isEqualTo(params);
        assertThat(c.flopsPerToken()).isEqualTo(flops);
    }

    @Test
    void shorterSequencesCostLessAttentionOnly() {
        GptConfig c = GptConfig.tiny(256, 64);
        assertThat(c.flopsPerToken() - c.flopsPerToken(32)).isEqualTo(12L * 2 * 64 * 32);
        assertThatThrownBy(() -> c.flopsPerToken(65)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.flopsPerToken(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
