package dev.cpt.trainer;

import dev.cpt.core.config.ConfigException;
import dev.cpt.core.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerOptionsTest {

    private static TrainerOptions options(String... sets) {
        return TrainerOptions.from(ConfigLoader.load(Optional.empty(), Map.of(), List.of(sets)));
    }

    @Test
    void shouldReadReplayMixingWeightsPerStream() {
        assertThat(options("cpt.trainer.replay.weights=news:3, code:0.5").replayWeights())
                .containsExactlyInAnyOrderEntriesOf(Map.of("news", 3.0, "code", 0.5));
        assertThat(options().replayWeights()).isEmpty();
    }

    @Test
    void shouldRejectMalformedReplayWeightsNamingTheRule() {
        assertThatThrownBy(() -> options("cpt.trainer.replay.weights=news=3"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cpt.trainer.replay.weights")
                .hasMessageContaining("stream:weight pairs");
    }

    @Test
    void shouldChangeTheFingerprintOnlyWithSettingsThatShapeTraining() {
        String base = options().fingerprint();
        assertThat(options("cpt.trainer.lr.peak=0.002").fingerprint()).isNotEqualTo(base);
        assertThat(options("cpt.trainer.telemetry.every.steps=100").fingerprint()).isEqualTo(base);
    }
}
