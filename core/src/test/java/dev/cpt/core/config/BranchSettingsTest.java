package dev.cpt.core.config;

import dev.cpt.core.config.BranchSettings.Mode;
import dev.cpt.core.config.TrainerSettings.DecayShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** cpt.branch.*: defaults, and what cpt.branch.data and cpt.branch.mode accept. */
class BranchSettingsTest {

    private static Config config(String... sets) {
        return ConfigLoader.load(Optional.empty(), Map.of(), List.of(sets));
    }

    @Test
    void shouldDefaultToWsdOneMinusSqrtAFifthAndUpcomingData() {
        Config c = config();

        assertThat(c.get(BranchSettings.MODE)).isEqualTo(Mode.WSD);
        assertThat(c.get(BranchSettings.DECAY_SHAPE)).isEqualTo(DecayShape.ONE_MINUS_SQRT);
        assertThat(c.get(BranchSettings.DECAY_FRACTION)).isEqualTo(0.2);
        assertThat(c.get(BranchSettings.DATA)).isEqualTo("upcoming");
        assertThat(c.get(BranchSettings.DECAY_STEPS)).isZero();
        assertThat(c.get(BranchSettings.DECAY_FLOOR)).isZero();
        assertThat(c.get(BranchSettings.EVERY_TOKENS)).isZero();
        assertThat(c.get(BranchSettings.EVERY_MINUTES)).isZero();
        assertThat(Config.defaults().get(BranchSettings.MODE)).isEqualTo(Mode.WSD);
    }

    @Test
    void shouldParseWsdSMode() {
        assertThat(config("cpt.branch.mode=wsd-s").get(BranchSettings.MODE)).isEqualTo(Mode.WSD_S);
        assertThat(config("cpt.branch.mode=wsd").get(BranchSettings.MODE)).isEqualTo(Mode.WSD);
        assertThat(BranchSettings.MODE.type().format(Mode.WSD_S)).isEqualTo("wsd-s");
    }

    @Test
    void shouldRefuseAnotherModeNamingTheAllowedOnes() {
        assertThatThrownBy(() -> config("cpt.branch.mode=wsdc"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("cpt.branch.mode", "'wsdc'", "wsd|wsd-s");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"upcoming", "replay", "mix:news:3,code:1.5", "mix:news.en:1", "mix:a:0.25,b_2:10,c-3:1"})
    void shouldAcceptUpcomingReplayOrAMix(String data) {
        assertThat(config("cpt.branch.data=" + data).get(BranchSettings.DATA)).isEqualTo(data);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"mix:", "mix:News:1", "random", "mix:news", "mix:news:", "mix:news:-1", "mix:news:1,", "mix:news:1;code:2",
            "mix:news:1, code:2", "Upcoming", "mix:.news:1", "mix:news:1e3", "upcoming,replay", ""})
    void shouldRefuseAnyOtherDataNamingKeyValueAndRule(String data) {
        assertThatThrownBy(() -> config("cpt.branch.data=" + data))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("cpt.branch.data", "'" + data + "'",
                        "must be upcoming, replay, or mix: followed by stream:weight pairs separated by commas");
    }

    @Test
    void shouldRefuseADecayFractionOutsideZeroToOne() {
        assertThat(config("cpt.branch.decay.fraction=1").get(BranchSettings.DECAY_FRACTION)).isEqualTo(1.0);
        assertThatThrownBy(() -> config("cpt.branch.decay.fraction=0")).hasMessageContaining("greater than 0 and at most 1");
        assertThatThrownBy(() -> config("cpt.branch.decay.fraction=1.5")).hasMessageContaining("greater than 0 and at most 1");
    }

    @Test
    void shouldRegisterEveryBranchSetting() throws IllegalAccessException {
        for (Field f : BranchSettings.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
                Setting<?> s = (Setting<?>) f.get(null);
                assertThat(Settings.byKey(s.key())).as(s.key()).containsSame(s);
                assertThat(s.key()).startsWith("cpt.branch.");
            }
        }
    }
}
