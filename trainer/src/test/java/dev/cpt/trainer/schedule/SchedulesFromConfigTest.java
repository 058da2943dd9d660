package dev.cpt.trainer.schedule;

import dev.cpt.core.config.ConfigException;
import dev.cpt.core.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SchedulesFromConfigTest {

    private static Schedule from(String... sets) {
        return Schedules.from(ConfigLoader.load(Optional.empty(), Map.of(), List.of(sets)));
    }

    @Test
    void shouldBuildWarmupThenConstantForeverByDefault() {
        Schedule s = from("cpt.trainer.lr.peak=0.002", "cpt.trainer.warmup.steps=100");

        assertThat(s.lr(50)).isCloseTo(0.001, within(1e-15));
        assertThat(s.lr(100)).isEqualTo(0.002);
        assertThat(s.lr(10_000_000)).isEqualTo(0.002);
        assertThat(s.phase(5_000)).isEqualTo("stable");
    }

    @Test
    void shouldBuildInfiniteScheduleCoolingDownToTheConstantFraction() {
        Schedule s = from("cpt.trainer.schedule=infinite", "cpt.trainer.lr.peak=0.001", "cpt.trainer.warmup.steps=10",
                "cpt.trainer.schedule.cooldown.steps=100", "cpt.trainer.schedule.constant.fraction=0.25",
                "cpt.trainer.schedule.cooldown.shape=linear");

        assertThat(s.lr(60)).isCloseTo(0.001 - 0.5 * 0.00075, within(1e-15));
        assertThat(s.lr(110)).isCloseTo(0.00025, within(1e-15));
        assertThat(s.lr(1_000_000)).isCloseTo(0.00025, within(1e-15));
    }

    @Test
    void shouldRejectSettingsThatDoNotMakeASchedule() {
        assertThatThrownBy(() -> from("cpt.trainer.schedule=wsdc", "cpt.trainer.schedule.cooldown.shape=exponential",
                "cpt.trainer.schedule.floor=0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cpt.trainer.schedule");
    }
}
