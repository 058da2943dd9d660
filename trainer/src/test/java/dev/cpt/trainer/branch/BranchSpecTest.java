package dev.cpt.trainer.branch;

import dev.cpt.core.config.BranchSettings;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigException;
import dev.cpt.core.format.BranchRequest;
import dev.cpt.trainer.schedule.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BranchSpecTest {

    private static final BranchSpec DEFAULTS = new BranchSpec(Shape.ONE_MINUS_SQRT, 0, 0.2, 0.0, new BranchData.Upcoming());
    private static final BranchSpec FIXED_STEPS = new BranchSpec(Shape.COSINE, 100, 0.3, 0.1, new BranchData.Replay());

    private static BranchRequest request(String shape, Long steps, Double fraction, Double floor, String data) {
        return new BranchRequest(shape, steps, fraction, floor, data, "a note");
    }

    @Test
    void shouldTakeTheConfiguredDefaultsFromCptBranchSettings() {
        assertThat(BranchSpec.from(Config.defaults())).isEqualTo(DEFAULTS);

        Config c = Config.defaults().with(BranchSettings.DECAY_SHAPE, "exponential").with(BranchSettings.DECAY_STEPS, "40")
                .with(BranchSettings.DECAY_FLOOR, "0.05").with(BranchSettings.DATA, "mix:web:2,code:1");
        assertThat(BranchSpec.from(c)).isEqualTo(new BranchSpec(Shape.EXPONENTIAL, 40, 0.2, 0.05,
                new BranchData.Mix(Map.of("web", 2.0, "code", 1.0))));
    }

    @Test
    void shouldRefuseConfiguredSettingsThatDoNotFitTogetherAsAConfigError() {
        Config c = Config.defaults().with(BranchSettings.DECAY_SHAPE, "exponential");

        assertThatThrownBy(() -> BranchSpec.from(c))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cpt.branch.")
                .hasMessageContaining("exponential needs a floor above 0");
    }

    @Test
    void shouldKeepEveryDefaultForARequestThatNamesNothing() {
        assertThat(DEFAULTS.with(BranchRequest.DEFAULTS)).isEqualTo(DEFAULTS);
        assertThat(FIXED_STEPS.with(BranchRequest.DEFAULTS)).isEqualTo(FIXED_STEPS);
    }

    @Test
    void shouldTakeEveryFieldTheRequestNames() {
        BranchSpec s = DEFAULTS.with(request("linear", 50L, 0.5, 0.25, "mix:a:1,b:2.5"));

        assertThat(s).isEqualTo(new BranchSpec(Shape.LINEAR, 50, 0.5, 0.25, BranchData.parse("mix:a:1,b:2.5")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            shape    | inverse-sqrt | INVERSE_SQRT | 100 | 0.3 | 0.1 | replay
            steps    | 7            | COSINE       | 7   | 0.3 | 0.1 | replay
            floor    | 0.5          | COSINE       | 100 | 0.3 | 0.5 | replay
            data     | upcoming     | COSINE       | 100 | 0.3 | 0.1 | upcoming
            """)
    void shouldChangeOnlyTheOneFieldARequestNames(String field, String value, Shape shape, long steps, double fraction,
                                                   double floor, String data) {
        BranchRequest r = switch (field) {
            case "shape" -> request(value, null, null, null, null);
            case "steps" -> request(null, Long.parseLong(value), null, null, null);
            case "floor" -> request(null, null, null, Double.parseDouble(value), null);
            default -> request(null, null, null, null, value);
        };

        assertThat(FIXED_STEPS.with(r)).isEqualTo(new BranchSpec(shape, steps, fraction, floor, BranchData.parse(data)));
    }

    @Test
    void shouldMeanTheFractionWhenARequestGivesAFractionButNoStepsEvenIfTheDefaultsFixSteps() {
        BranchSpec s = FIXED_STEPS.with(request(null, null, 0.5, null, null));

        assertThat(s.steps()).isZero();
        assertThat(s.fraction()).isEqualTo(0.5);
        assertThat(s.decaySteps(1000)).isEqualTo(500);
    }

    @Test
    void shouldLetStepsWinWhenARequestGivesBoth() {
        assertThat(DEFAULTS.with(request(null, 30L, 0.5, null, null)).decaySteps(1000)).isEqualTo(30);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            shape    | sideways     | shape 'sideways' is not one of linear, cosine, one-minus-sqrt, exponential, inverse-sqrt
            shape    | constant     | shape 'constant' is not one of linear, cosine, one-minus-sqrt, exponential, inverse-sqrt
            steps    | -1           | decay steps must be >= 0 (0 = use the fraction), got -1
            fraction | 0            | decay fraction must be in (0, 1], got 0.0
            fraction | 1.5          | decay fraction must be in (0, 1], got 1.5
            fraction | NaN          | decay fraction must be in (0, 1], got NaN
            floor    | -0.1         | decay floor must be in [0, 1] (a fraction of the learning rate at the fork), got -0.1
            floor    | 1.1          | decay floor must be in [0, 1] (a fraction of the learning rate at the fork), got 1.1
            data     | random       | branch data 'random' is not one of upcoming, replay, mix:stream:weight
            """)
    void shouldRefuseAnInvalidFieldNamingItTheValueAndWhatIsAllowed(String field, String value, String message) {
        BranchRequest r = switch (field) {
            case "shape" -> request(value, null, null, null, null);
            case "steps" -> request(null, Long.parseLong(value), null, null, null);
            case "fraction" -> request(null, null, Double.parseDouble(value), null, null);
            case "floor" -> request(null, null, null, Double.parseDouble(value), null);
            default -> request(null, null, null, null, value);
        };

        assertThatThrownBy(() -> DEFAULTS.with(r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message).hasMessageContaining(field).hasMessageContaining(value);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"exponential", "inverse-sqrt"})
    void shouldRefuseAShapeThatCannotReachAFloorOfZero(String shape) {
        assertThatThrownBy(() -> DEFAULTS.with(request(shape, null, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decay shape " + shape + " needs a floor above 0");
        assertThat(DEFAULTS.with(request(shape, null, null, 0.01, null)).shapeWord()).isEqualTo(shape);
    }

    @Test
    void shouldRefuseTheConstantShapeBuiltInCode() {
        assertThatThrownBy(() -> new BranchSpec(Shape.CONSTANT, 10, 0.2, 0.0, new BranchData.Upcoming()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("constant does not decay")
                .hasMessageContaining("linear, cosine, one-minus-sqrt, exponential, inverse-sqrt");
    }

    @ParameterizedTest(name = "steps {0}, fraction {1}, {2} steps since the previous branch -> {3}")
    @CsvSource(textBlock = """
            100, 0.2,  7,    100
            100, 0.2,  0,    100
            0,   0.2,  1000, 200
            0,   1.0,  7,    7
            0,   0.2,  12,   2
            0,   0.2,  13,   3
            0,   0.25, 10,   3
            0,   0.2,  2,    1
            0,   0.2,  0,    1
            """)
    void shouldDecayTheFixedStepsOrTheRoundedFractionOfStepsSinceThePreviousBranchAndAtLeastOne(
            long steps, double fraction, long since, long expected) {
        BranchSpec s = new BranchSpec(Shape.LINEAR, steps, fraction, 0.0, new BranchData.Upcoming());

        assertThat(s.decaySteps(since)).isEqualTo(expected);
    }

    @Test
    void shouldDescribeItselfInConfigurationWords() {
        assertThat(DEFAULTS.describe()).isEqualTo("one-minus-sqrt over 20% to 0.0 on upcoming");
        assertThat(FIXED_STEPS.describe()).isEqualTo("cosine over 100 steps to 0.1 on replay");
    }
}
