package dev.cpt.trainer.predict;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class LrIntegralsTest {

    private static final double EPS = 1e-15;

    @Test
    void shouldStartWithNoAreaNoMomentumAndNoSteps() {
        assertThat(LrIntegrals.start()).isEqualTo(new LrIntegrals(0, 0, 0, 0, 0));
        assertThat(LrIntegrals.LAMBDA).isEqualTo(0.999);
    }

    /**
     * lr 1, 1, 0.5, 0.5, then a rewarm to 1, with lambda = 0.999, m_0 = 0, lr_0 = lr_1:
     * <pre>
     * step lr   drop  m = 0.999 m + drop                  S1   S2
     * 1    1    0     0                                   1    0
     * 2    1    0     0                                   2    0
     * 3    0.5  0.5   0.5                                 2.5  0.5
     * 4    0.5  0     0.4995                              3    0.9995
     * 5    1    -0.5  0.999 * 0.4995 - 0.5 = -0.0009995   4    0.9985005
     * </pre>
     */
    @Test
    void shouldAccumulateHandComputedAreasForATinySequenceIncludingARewarm() {
        LrIntegrals s = LrIntegrals.start().advance(1).advance(1);
        assertThat(s.s1()).isEqualTo(2);
        assertThat(s.s2()).isZero();
        assertThat(s.momentum()).isZero();

        s = s.advance(0.5);
        assertThat(s.s1()).isEqualTo(2.5);
        assertThat(s.s2()).isEqualTo(0.5);
        assertThat(s.momentum()).isEqualTo(0.5);

        s = s.advance(0.5);
        assertThat(s.s1()).isEqualTo(3);
        assertThat(s.momentum()).isCloseTo(0.4995, within(EPS));
        assertThat(s.s2()).isCloseTo(0.9995, within(EPS));

        s = s.advance(1);
        assertThat(s.s1()).isEqualTo(4);
        assertThat(s.momentum()).as("a rewarm is negative annealing").isCloseTo(-0.0009995, within(EPS));
        assertThat(s.s2()).isCloseTo(0.9985005, within(EPS));
        assertThat(s.previousLr()).isEqualTo(1);
        assertThat(s.steps()).isEqualTo(5);
    }

    @Test
    void shouldGiveNoAnnealingAreaToAConstantRunWhateverItsStartingValue() {
        LrIntegrals s = LrIntegrals.start().advance(3e-4, 10_000);

        assertThat(s.s2()).isZero();
        assertThat(s.momentum()).isZero();
        assertThat(s.s1()).isCloseTo(3.0, within(1e-12));
        assertThat(s.steps()).isEqualTo(10_000);
    }

    @Test
    void shouldMakeTheAnnealingAreaNegativeWhenStartedBeforeARisingWarmup() {
        // Why the trainer starts the integrals after warmup.
        LrIntegrals s = LrIntegrals.start();
        for (int step = 1; step <= 100; step++) {
            s = s.advance(1e-3 * step / 100);
        }
        assertThat(s.s2()).isNegative();
    }

    @Property(tries = 300)
    void advancingManyStepsAtOnceEqualsAdvancingOneStepAtATime(
            @ForAll @Size(max = 20) List<@DoubleRange(min = 0, max = 1e-2) @Scale(8) Double> before,
            @ForAll @DoubleRange(min = 0, max = 1e-2) @Scale(8) double lr,
            @ForAll @LongRange(min = 0, max = 5_000) long times) {
        LrIntegrals from = LrIntegrals.start();
        for (double x : before) {
            from = from.advance(x);
        }
        LrIntegrals slow = from;
        for (long i = 0; i < times; i++) {
            slow = slow.advance(lr);
        }

        LrIntegrals fast = from.advance(lr, times);

        // Rounding grows with the number of single steps; 1e-12 per step is far above it.
        double tolerance = 1e-12 * (1 + times);
        assertThat(fast.steps()).isEqualTo(slow.steps());
        assertThat(fast.previousLr()).isEqualTo(slow.previousLr());
        assertThat(fast.s1()).isCloseTo(slow.s1(), within(tolerance * (1e-2 + slow.s1())));
        assertThat(fast.s2()).isCloseTo(slow.s2(), within(tolerance * (1e-2 + Math.abs(slow.s2()))));
        assertThat(fast.momentum()).isCloseTo(slow.momentum(), within(tolerance * (1e-2 + Math.abs(slow.momentum()))));
    }

    @ParameterizedTest(name = "lr {0}")
    @ValueSource(doubles = {0, 1e-4, 1})
    void shouldReturnTheSameValueForZeroStepsAndOneAdvanceForOneStep(double lr) {
        LrIntegrals s = LrIntegrals.start().advance(1e-3, 50).advance(5e-4);

        assertThat(s.advance(lr, 0)).isSameAs(s);
        assertThat(s.advance(lr, 1)).isEqualTo(s.advance(lr));
    }

    @Test
    void shouldReachTheClosedFormLimitOverAVeryLongConstantStretch() {
        LrIntegrals s = LrIntegrals.start().advance(1e-3, 10).advance(5e-4).advance(5e-4, Long.MAX_VALUE / 2);

        assertThat(s.momentum()).isZero();
        assertThat(s.s2()).isCloseTo(5e-4 * LrIntegrals.LAMBDA / (1 - LrIntegrals.LAMBDA) + 5e-4, within(1e-12));
    }

    @ParameterizedTest(name = "lr {0}")
    @ValueSource(doubles = {-1e-3, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void shouldRejectANegativeOrNonFiniteLearningRateNamingTheValue(double lr) {
        LrIntegrals s = LrIntegrals.start().advance(1e-3);

        assertThatIllegalArgumentException().isThrownBy(() -> s.advance(lr))
                .withMessage("lr must be >= 0 and finite, got " + lr);
        assertThatIllegalArgumentException().isThrownBy(() -> s.advance(lr, 10))
                .withMessage("lr must be >= 0 and finite, got " + lr);
    }

    @Test
    void shouldRejectANegativeStepCountAndAStepCountPastLongMax() {
        LrIntegrals s = LrIntegrals.start().advance(1e-3);

        assertThatIllegalArgumentException().isThrownBy(() -> s.advance(1e-3, -1))
                .withMessage("times must be >= 0, got -1");
        assertThatIllegalArgumentException().isThrownBy(() -> s.advance(0, Long.MAX_VALUE))
                .withMessageStartingWith("steps must stay <= " + Long.MAX_VALUE);
    }

    @Test
    void shouldRejectInvalidFields() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LrIntegrals(-1, 0, 0, 0, 0))
                .withMessage("s1 must be >= 0 and finite, got -1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> new LrIntegrals(0, Double.NaN, 0, 0, 0))
                .withMessage("s2 must be finite, got NaN");
        assertThatIllegalArgumentException().isThrownBy(() -> new LrIntegrals(0, 0, Double.POSITIVE_INFINITY, 0, 0))
                .withMessage("momentum must be finite, got Infinity");
        assertThatIllegalArgumentException().isThrownBy(() -> new LrIntegrals(0, 0, 0, -1, 0))
                .withMessage("previousLr must be >= 0 and finite, got -1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> new LrIntegrals(0, 0, 0, 0, -1))
                .withMessage("steps must be >= 0, got -1");
    }
}
