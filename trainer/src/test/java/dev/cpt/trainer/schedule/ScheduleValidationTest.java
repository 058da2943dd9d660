package dev.cpt.trainer.schedule;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.cpt.trainer.schedule.Phase.Kind.DECAY;
import static dev.cpt.trainer.schedule.Phase.Kind.STABLE;
import static dev.cpt.trainer.schedule.Shape.COSINE;
import static dev.cpt.trainer.schedule.Shape.EXPONENTIAL;
import static dev.cpt.trainer.schedule.Shape.INVERSE_SQRT;
import static dev.cpt.trainer.schedule.Shape.LINEAR;
import static dev.cpt.trainer.schedule.Shape.ONE_MINUS_SQRT;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every invalid configuration is refused with a message naming the parameter, the value and the rule. */
class ScheduleValidationTest {

    private static final Schedule MAIN = Schedule.wsd(1e-3, 200);

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad("peak of 0", () -> Schedule.wsd(0, 100), "peak must be > 0 and finite, got 0.0e+00"),
                bad("negative peak", () -> Schedule.infinite(-1e-3, 1, 1, COSINE, 0.5),
                        "peak must be > 0 and finite, got -1.0e-03"),
                bad("NaN peak", () -> Schedule.wsdc(Double.NaN, 1, 1, COSINE, 0), "peak must be > 0 and finite, got NaN"),
                bad("infinite peak", () -> Schedule.wsd(Double.POSITIVE_INFINITY, 1),
                        "peak must be > 0 and finite, got Infinity"),
                bad("constant of 0", () -> Schedule.constant(0), "lr must be > 0 and finite, got 0.0e+00"),
                bad("negative warmup", () -> Schedule.wsd(1e-3, -1), "warmupSteps must be >= 0, got -1"),
                bad("warmup start above peak", () -> Schedule.wsd(1e-3, 10, 2e-3),
                        "warmupStart must be <= peak (1.0e-03), got 2.0e-03"),
                bad("negative warmup start", () -> Schedule.wsd(1e-3, 10, -1e-4),
                        "warmupStart must be >= 0 and finite, got -1.0e-04"),
                bad("fraction above 1", () -> Schedule.infinite(1e-3, 100, 1000, COSINE, 1.5),
                        "constantFraction must be in [0, 1], got 1.5e+00"),
                bad("negative fraction", () -> Schedule.infinite(1e-3, 100, 1000, COSINE, -0.1),
                        "constantFraction must be in [0, 1], got -1.0e-01"),
                bad("exp cooldown to 0", () -> Schedule.infinite(1e-3, 100, 1000, EXPONENTIAL, 0),
                        "constantFraction must be > 0 for shape exp"),
                bad("no cooldown but a drop", () -> Schedule.infinite(1e-3, 100, 0, COSINE, 0.5),
                        "cooldownSteps must be >= 1 when constantFraction < 1 (0.5), got 0"),
                bad("negative cooldown", () -> Schedule.infinite(1e-3, 100, -5, COSINE, 0.5),
                        "cooldownSteps must be >= 0, got -5"),
                bad("floor above peak", () -> Schedule.wsdc(1e-3, 100, 1000, LINEAR, 2e-3),
                        "floor must be <= peak (1.0e-03), got 2.0e-03"),
                bad("negative floor", () -> Schedule.wsdc(1e-3, 100, 1000, LINEAR, -1e-5),
                        "floor must be >= 0 and finite, got -1.0e-05"),
                bad("rsqrt decay to 0", () -> Schedule.wsdc(1e-3, 100, 1000, INVERSE_SQRT, 0),
                        "floor must be > 0 for shape rsqrt"),
                bad("zero-length decay", () -> Schedule.wsdc(1e-3, 100, 0, LINEAR, 0), "decaySteps must be >= 1, got 0"),
                bad("negative fork step", () -> MAIN.decayFrom(-1, 100, ONE_MINUS_SQRT, 0), "forkStep must be >= 0, got -1"),
                bad("zero-length branch decay", () -> MAIN.decayFrom(5000, 0, ONE_MINUS_SQRT, 0),
                        "decaySteps must be >= 1, got 0"),
                bad("branch floor above the fork value", () -> MAIN.decayFrom(100, 100, LINEAR, 8e-4),
                        "floor must be <= the learning rate at forkStep 100 (5.0e-04), got 8.0e-04"),
                bad("negative branch floor", () -> MAIN.decayFrom(5000, 100, LINEAR, -1),
                        "floor must be >= 0 and finite, got -1.0e+00"),
                bad("exp branch to 0", () -> MAIN.decayFrom(5000, 100, EXPONENTIAL, 0), "floor must be > 0 for shape exp"),
                bad("null shape", () -> MAIN.decayFrom(5000, 100, null, 0), "shape must not be null"),
                bad("branch past the last step", () -> MAIN.decayFrom(Long.MAX_VALUE - 1, 10, LINEAR, 0),
                        "forkStep + decaySteps must be < 9223372036854775807"),
                bad("negative anneal step", () -> MAIN.annealFrom(-5, 100, LINEAR, 0), "step must be >= 0, got -5"),
                bad("zero-length anneal", () -> MAIN.annealFrom(5, 0, LINEAR, 0), "steps must be >= 1, got 0"),
                bad("negative rewarm step", () -> MAIN.withRewarm(-1, 10), "atStep must be >= 0, got -1"),
                bad("zero-length rewarm", () -> MAIN.withRewarm(10, 0), "steps must be >= 1, got 0"),
                bad("rewarm that goes down", () -> MAIN.withRewarm(1000, 100, 2e-3),
                        "from must be <= the learning rate at atStep + steps = 1100 (1.0e-03), got 2.0e-03"),
                bad("negative rewarm start", () -> MAIN.withRewarm(1000, 100, -1e-3),
                        "from must be >= 0 and finite, got -1.0e-03"),
                bad("negative step", () -> MAIN.lr(-1), "step must be >= 0, got -1"),
                bad("negative step for a branch", () -> MAIN.decayFrom(10, 10, LINEAR, 0).phase(-3),
                        "step must be >= 0, got -3"),
                bad("no phases", Schedule::of, "phases must not be empty"),
                bad("jump between phases", () -> Schedule.of(Phase.warmup(10, 0, 1e-3), Phase.forever(STABLE, 2e-3)),
                        "phase 1 (stable) start must equal phase 0's end (1.0e-03), got 2.0e-03"),
                bad("finite last phase", () -> Schedule.of(Phase.warmup(10, 0, 1e-3)),
                        "phase 0 (warmup) is the last, so it must last forever, got steps 10"),
                bad("endless phase before the last", () -> Schedule.of(Phase.forever(STABLE, 1e-3), Phase.forever(STABLE, 1e-3)),
                        "phase 0 (stable) lasts forever but is not the last"),
                bad("decay that goes up", () -> new Phase(DECAY, 10, 1e-3, 2e-3, LINEAR),
                        "decay must have end <= start, got 1.0e-03 -> 2.0e-03"),
                bad("warmup that goes down", () -> Phase.warmup(10, 2e-3, 1e-3),
                        "warmup must have end >= start, got 2.0e-03 -> 1.0e-03"),
                bad("stable that moves", () -> new Phase(STABLE, 10, 1e-3, 2e-3, LINEAR), "stable must have end == start"),
                bad("zero-length phase", () -> Phase.warmup(0, 0, 1e-3), "warmup steps must be >= 1, got 0"),
                bad("endless decay", () -> new Phase(DECAY, Schedule.FOREVER, 1e-3, 1e-4, COSINE),
                        "decay lasts forever, so it must be a constant hold (start == end)"),
                bad("constant shape that moves", () -> new Phase(DECAY, 10, 1e-3, 1e-4, Shape.CONSTANT),
                        "decay shape constant needs start == end, got 1.0e-03 -> 1.0e-04"),
                bad("exp phase from 0", () -> new Phase(Phase.Kind.WARMUP, 10, 0, 1e-3, EXPONENTIAL),
                        "warmup shape exp needs start > 0 and end > 0"),
                bad("span ending before it begins", () -> new Span(STABLE, 10, 10, 1, 1), "end must be > begin (10), got 10"),
                bad("splice resuming before it starts", () -> new Spliced(MAIN, 10, new Phased(java.util.List.of(
                        Phase.forever(STABLE, 1e-3))), 5), "resume must be > at (10), got 5"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("invalid")
    void invalidConfigurationIsRefusedWithAMessageNamingParameterValueAndRule(String what, ThrowingCallable call,
                                                                              String message) {
        assertThatIllegalArgumentException().isThrownBy(call).withMessageContaining(message);
    }

    private static Arguments bad(String what, ThrowingCallable call, String message) {
        return arguments(what, call, message);
    }
}
