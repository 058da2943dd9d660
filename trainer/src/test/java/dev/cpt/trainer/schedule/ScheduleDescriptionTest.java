package dev.cpt.trainer.schedule;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.cpt.trainer.schedule.Shape.COSINE;
import static dev.cpt.trainer.schedule.Shape.EXPONENTIAL;
import static dev.cpt.trainer.schedule.Shape.ONE_MINUS_SQRT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@code toString()} reads as the recipe, for logs, telemetry and checkpoint manifests. */
class ScheduleDescriptionTest {

    static Stream<Arguments> descriptions() {
        Schedule main = Schedule.wsd(1e-3, 200);
        return Stream.of(
                arguments(main, "warmup 200 -> 1.0e-03, stable"),
                arguments(Schedule.wsd(1e-3, 200, 1e-5), "warmup 200 1.0e-05 -> 1.0e-03, stable"),
                arguments(Schedule.wsd(3e-4, 0), "stable 3.0e-04"),
                arguments(Schedule.constant(1.65e-4), "stable 1.65e-04"),
                arguments(Schedule.infinite(3e-4, 100, 1000, COSINE, 0.5),
                        "warmup 100 -> 3.0e-04, cooldown 1000 cosine -> 1.5e-04, stable"),
                arguments(Schedule.infinite(3e-4, 100, 1000, COSINE, 0.5).annealFrom(9000, 500, EXPONENTIAL, 3e-5),
                        "warmup 100 -> 3.0e-04, cooldown 1000 cosine -> 1.5e-04, stable"
                                + " | from 9000: anneal 500 exp 1.5e-04 -> 3.0e-05, floor"),
                arguments(Schedule.wsdc(1e-3, 10, 90, ONE_MINUS_SQRT, 0),
                        "warmup 10 -> 1.0e-03, decay 90 1-sqrt -> 0.0e+00, floor"),
                arguments(main.decayFrom(5000, 1000, ONE_MINUS_SQRT, 0),
                        "warmup 200 -> 1.0e-03, stable | from 5000: decay 1000 1-sqrt 1.0e-03 -> 0.0e+00, floor"),
                arguments(main.withRewarm(1000, 100),
                        "warmup 200 -> 1.0e-03, stable | from 1000: rewarm 100 -> 1.0e-03 | base from 1100"),
                arguments(main.withRewarm(1000, 100, 1e-4),
                        "warmup 200 -> 1.0e-03, stable | from 1000: rewarm 100 1.0e-04 -> 1.0e-03 | base from 1100"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("descriptions")
    void toStringReadsAsTheRecipe(Schedule schedule, String expected) {
        assertThat(schedule).hasToString(expected);
    }
}
