package dev.cpt.trainer.predict;

import dev.cpt.trainer.predict.LossLawFit.Fit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The law's formula and the validation of the three value records. */
class LossLawTest {

    private static final LossLaw LAW = new LossLaw(2.0, 1.5, 0.5, 2.0);

    @Test
    void shouldPredictTheLawsFormula() {
        // 2 + 1.5 * 4^-0.5 - 2 * 0.25 = 2 + 0.75 - 0.5
        assertThat(LAW.predict(4, 0.25)).isCloseTo(2.25, within(1e-15));
        // a rewarm (negative S2) raises the loss: 2 + 1.5 / 1 + 2 * 0.1
        assertThat(LAW.predict(1, -0.1)).isCloseTo(3.7, within(1e-15));
    }

    @Test
    void shouldPredictFromIntegralsAsFromTheirAreas() {
        LrIntegrals at = LrIntegrals.start().advance(1e-3, 1000).advance(5e-4, 100);

        assertThat(LAW.predict(at)).isEqualTo(LAW.predict(at.s1(), at.s2()));
    }

    @Test
    void shouldRefuseToPredictWithoutForwardArea() {
        assertThatIllegalArgumentException().isThrownBy(() -> LAW.predict(LrIntegrals.start()))
                .withMessage("s1 must be > 0 and finite, got 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> LAW.predict(1, Double.NaN))
                .withMessage("s2 must be finite, got NaN");
    }

    @Test
    void shouldBuildAnObservationFromIntegrals() {
        LrIntegrals at = LrIntegrals.start().advance(1e-3, 1000).advance(0);

        assertThat(Observation.at(at, 2.5)).isEqualTo(new Observation(at.s1(), at.s2(), 2.5));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad("negative l0", () -> new LossLaw(-1, 1, 0.5, 1), "l0 must be >= 0 and finite, got -1.0"),
                bad("NaN l0", () -> new LossLaw(Double.NaN, 1, 0.5, 1), "l0 must be >= 0 and finite, got NaN"),
                bad("negative a", () -> new LossLaw(1, -1, 0.5, 1), "a must be >= 0 and finite, got -1.0"),
                bad("zero alpha", () -> new LossLaw(1, 1, 0, 1), "alpha must be > 0 and finite, got 0.0"),
                bad("infinite alpha", () -> new LossLaw(1, 1, Double.POSITIVE_INFINITY, 1),
                        "alpha must be > 0 and finite, got Infinity"),
                bad("negative c", () -> new LossLaw(1, 1, 0.5, -2), "c must be >= 0 and finite, got -2.0"),
                bad("zero s1", () -> new Observation(0, 0, 1), "s1 must be > 0 and finite, got 0.0"),
                bad("infinite s2", () -> new Observation(1, Double.NEGATIVE_INFINITY, 1),
                        "s2 must be finite, got -Infinity"),
                bad("zero loss", () -> new Observation(1, 0, 0), "loss must be > 0 and finite, got 0.0"),
                bad("NaN loss", () -> new Observation(1, 0, Double.NaN), "loss must be > 0 and finite, got NaN"),
                bad("fit without law", () -> new Fit(null, 0, 4, true), "law must not be null"),
                bad("negative rms", () -> new Fit(LAW, -1, 4, true), "rmsLogError must be >= 0 and finite, got -1.0"),
                bad("fit of no points", () -> new Fit(LAW, 0, 0, true), "points must be >= 1, got 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void shouldRejectInvalidValuesNamingTheFieldTheRuleAndTheValue(String name, ThrowingCallable call, String message) {
        assertThatIllegalArgumentException().isThrownBy(call).withMessage(message);
    }

    private static Arguments bad(String name, ThrowingCallable call, String message) {
        return arguments(name, call, message);
    }
}
