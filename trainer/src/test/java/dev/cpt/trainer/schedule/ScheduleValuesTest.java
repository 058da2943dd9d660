package dev.cpt.trainer.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static dev.cpt.trainer.schedule.Shape.COSINE;
import static dev.cpt.trainer.schedule.Shape.EXPONENTIAL;
import static dev.cpt.trainer.schedule.Shape.INVERSE_SQRT;
import static dev.cpt.trainer.schedule.Shape.LINEAR;
import static dev.cpt.trainer.schedule.Shape.ONE_MINUS_SQRT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Exact values of every builder at each phase boundary, one step either side, and mid-phase.
 * Peak 1.0 so that the 1e-12 tolerance is a relative one. Expected values come from the
 * published formulas (see {@link ShapeTest}), computed by hand or in Python.
 */
class ScheduleValuesTest {

    private static final Map<String, Schedule> SCHEDULES = Map.ofEntries(
            Map.entry("wsd", Schedule.wsd(1.0, 200)),
            Map.entry("wsd-from-0.1", Schedule.wsd(1.0, 100, 0.1)),
            Map.entry("wsd-no-warmup", Schedule.wsd(1.0, 0)),
            Map.entry("constant", Schedule.constant(0.5)),
            Map.entry("infinite-cosine", Schedule.infinite(1.0, 100, 1000, COSINE, 0.5)),
            Map.entry("infinite-annealed", Schedule.infinite(1.0, 100, 1000, COSINE, 0.5)
                    .annealFrom(5000, 1000, EXPONENTIAL, 0.05)),
            Map.entry("wsdc-1-sqrt", Schedule.wsdc(1.0, 0, 1000, ONE_MINUS_SQRT, 0.0)),
            Map.entry("wsdc-linear", Schedule.wsdc(1.0, 100, 1000, LINEAR, 0.1)),
            Map.entry("wsdc-exp", Schedule.wsdc(1.0, 0, 1000, EXPONENTIAL, 0.01)),
            Map.entry("wsdc-rsqrt", Schedule.wsdc(1.0, 0, 1000, INVERSE_SQRT, 0.25)),
            Map.entry("branch", Schedule.wsd(1.0, 200).decayFrom(5000, 1000, ONE_MINUS_SQRT, 0.0)),
            Map.entry("branch-cosine-floor", Schedule.wsd(1.0, 200).decayFrom(5000, 1000, COSINE, 0.1)),
            Map.entry("branch-in-warmup", Schedule.wsd(1.0, 200).decayFrom(100, 100, LINEAR, 0.1)),
            Map.entry("rewarm", Schedule.wsd(1.0, 200).withRewarm(1000, 100)),
            Map.entry("rewarm-in-cooldown", Schedule.infinite(1.0, 0, 1000, LINEAR, 0.5).withRewarm(200, 100, 0.1)),
            Map.entry("branch-after-rewarm", Schedule.wsd(1.0, 200).withRewarm(1000, 100)
                    .decayFrom(1050, 100, LINEAR, 0.0)));

    @ParameterizedTest(name = "{0} at step {1} is {2}")
    @CsvSource({
            // linear warmup from 0: peak * step / warmupSteps
            "wsd, 0, 0.0", "wsd, 1, 0.005", "wsd, 100, 0.5", "wsd, 199, 0.995", "wsd, 200, 1.0",
            "wsd, 201, 1.0", "wsd, 1000000000000000, 1.0", "wsd, 9223372036854775806, 1.0",
            "wsd-from-0.1, 0, 0.1", "wsd-from-0.1, 50, 0.55", "wsd-from-0.1, 100, 1.0",
            "wsd-no-warmup, 0, 1.0", "wsd-no-warmup, 7, 1.0",
            "constant, 0, 0.5", "constant, 123456789, 0.5",
            // cosine cooldown 1 -> 0.5 over [100, 1100): 0.5 + 0.5 * (1 + cos(pi r)) / 2
            "infinite-cosine, 50, 0.5", "infinite-cosine, 100, 1.0", "infinite-cosine, 101, 0.9999987663004646",
            "infinite-cosine, 350, 0.9267766952966369", "infinite-cosine, 600, 0.75",
            "infinite-cosine, 850, 0.5732233047033631", "infinite-cosine, 1099, 0.5000012336995354",
            "infinite-cosine, 1100, 0.5", "infinite-cosine, 1000000000000, 0.5",
            // exponential anneal 0.5 -> 0.05 over [5000, 6000): 0.5 * 0.1^r
            "infinite-annealed, 4999, 0.5", "infinite-annealed, 5000, 0.5",
            "infinite-annealed, 5500, 0.15811388300841897", "infinite-annealed, 6000, 0.05",
            "infinite-annealed, 99999999, 0.05",
            // 1-sqrt decay 1 -> 0 over [0, 1000): 1 - sqrt(r)
            "wsdc-1-sqrt, 0, 1.0", "wsdc-1-sqrt, 250, 0.5", "wsdc-1-sqrt, 360, 0.4", "wsdc-1-sqrt, 640, 0.2",
            "wsdc-1-sqrt, 999, 0.0005001250625390474", "wsdc-1-sqrt, 1000, 0.0", "wsdc-1-sqrt, 5000, 0.0",
            // linear decay 1 -> 0.1 over [100, 1100)
            "wsdc-linear, 50, 0.5", "wsdc-linear, 100, 1.0", "wsdc-linear, 600, 0.55", "wsdc-linear, 1099, 0.1009",
            "wsdc-linear, 1100, 0.1",
            // exponential 1 -> 0.01: 0.01^r
            "wsdc-exp, 250, 0.31622776601683794", "wsdc-exp, 500, 0.1", "wsdc-exp, 1000, 0.01",
            // rsqrt 1 -> 0.25 over 1000: sqrt(w / (w + t)), w = 1000 / 15
            "wsdc-rsqrt, 0, 1.0", "wsdc-rsqrt, 200, 0.5", "wsdc-rsqrt, 600, 0.31622776601683794",
            "wsdc-rsqrt, 999, 0.2501172699618868", "wsdc-rsqrt, 1000, 0.25",
            // branch: main run before 5000, then 1 - sqrt(r) to 0 over 1000, then 0
            "branch, 100, 0.5", "branch, 4999, 1.0", "branch, 5000, 1.0", "branch, 5250, 0.5", "branch, 5360, 0.4",
            "branch, 5999, 0.0005001250625390474", "branch, 6000, 0.0", "branch, 1000000000000, 0.0",
            "branch-cosine-floor, 5500, 0.55", "branch-cosine-floor, 6000, 0.1",
            // fork at 100 inside the warmup: decays from lr(100) = 0.5 to 0.1 over 100 steps
            "branch-in-warmup, 99, 0.495", "branch-in-warmup, 100, 0.5", "branch-in-warmup, 150, 0.3",
            "branch-in-warmup, 200, 0.1", "branch-in-warmup, 300, 0.1",
            // rewarm: drops to min() = 0 at 1000, linear back to lr(1100) = 1, then the main run
            "rewarm, 999, 1.0", "rewarm, 1000, 0.0", "rewarm, 1050, 0.5", "rewarm, 1099, 0.99",
            "rewarm, 1100, 1.0", "rewarm, 2000, 1.0",
            // rewarm inside a linear cooldown 1 -> 0.5 over 1000: from 0.1 to lr(300) = 0.85, then the cooldown
            "rewarm-in-cooldown, 199, 0.9005", "rewarm-in-cooldown, 200, 0.1", "rewarm-in-cooldown, 250, 0.475",
            "rewarm-in-cooldown, 300, 0.85", "rewarm-in-cooldown, 400, 0.8", "rewarm-in-cooldown, 1000, 0.5",
            // fork halfway through a rewarm: decays from 0.5 to 0 over 100
            "branch-after-rewarm, 1049, 0.49", "branch-after-rewarm, 1050, 0.5", "branch-after-rewarm, 1100, 0.25",
            "branch-after-rewarm, 1150, 0.0",
    })
    void learningRateMatchesThePublishedFormula(String schedule, long step, double expected) {
        assertThat(SCHEDULES.get(schedule).lr(step)).isCloseTo(expected, within(1e-12));
    }

    @ParameterizedTest(name = "{0} at step {1} is in phase {2}")
    @CsvSource({
            "wsd, 0, warmup", "wsd, 199, warmup", "wsd, 200, stable", "wsd-no-warmup, 0, stable",
            "infinite-cosine, 99, warmup", "infinite-cosine, 100, cooldown", "infinite-cosine, 1099, cooldown",
            "infinite-cosine, 1100, stable",
            "infinite-annealed, 4999, stable", "infinite-annealed, 5000, anneal", "infinite-annealed, 5999, anneal",
            "infinite-annealed, 6000, floor",
            "wsdc-linear, 99, warmup", "wsdc-linear, 100, decay", "wsdc-linear, 1100, floor",
            "branch, 4999, stable", "branch, 5000, decay", "branch, 5999, decay", "branch, 6000, floor",
            "rewarm, 999, stable", "rewarm, 1000, rewarm", "rewarm, 1099, rewarm", "rewarm, 1100, stable",
            "rewarm-in-cooldown, 199, cooldown", "rewarm-in-cooldown, 200, rewarm", "rewarm-in-cooldown, 300, cooldown",
            "rewarm-in-cooldown, 1000, stable",
            "branch-after-rewarm, 1049, rewarm", "branch-after-rewarm, 1050, decay", "branch-after-rewarm, 1150, floor",
    })
    void phaseNamesTheKindOfPhaseForTelemetry(String schedule, long step, String phase) {
        assertThat(SCHEDULES.get(schedule).phase(step)).isEqualTo(phase);
    }

    @Test
    void spansListThePhasesAsRunIncludingCutAndResumedOnes() {
        assertThat(SCHEDULES.get("rewarm-in-cooldown").spans()).containsExactly(
                new Span(Phase.Kind.COOLDOWN, 0, 200, 1.0, 0.9),
                new Span(Phase.Kind.REWARM, 200, 300, 0.1, 0.85),
                new Span(Phase.Kind.COOLDOWN, 300, 1000, 0.85, 0.5),
                new Span(Phase.Kind.STABLE, 1000, Schedule.FOREVER, 0.5, 0.5));
        assertThat(SCHEDULES.get("branch").spans()).extracting(Span::kind, Span::begin, Span::end).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Phase.Kind.WARMUP, 0L, 200L),
                org.assertj.core.groups.Tuple.tuple(Phase.Kind.STABLE, 200L, 5000L),
                org.assertj.core.groups.Tuple.tuple(Phase.Kind.DECAY, 5000L, 6000L),
                org.assertj.core.groups.Tuple.tuple(Phase.Kind.FLOOR, 6000L, Schedule.FOREVER));
    }

    @Test
    void spanReportsProgressThroughThePhase() {
        Span decay = SCHEDULES.get("branch").span(5250);
        assertThat(decay.progress(5250)).isEqualTo(0.25);
        assertThat(SCHEDULES.get("branch").span(7000).progress(7000)).isZero();
    }

    @Test
    void minAndMaxAreTheLowestAndHighestConfiguredValues() {
        assertThat(SCHEDULES.get("wsd").min()).isZero();
        assertThat(SCHEDULES.get("wsd").max()).isEqualTo(1.0);
        assertThat(SCHEDULES.get("wsd-no-warmup").min()).isEqualTo(1.0);
        assertThat(SCHEDULES.get("infinite-annealed").min()).isZero(); // its warmup starts at 0
        assertThat(SCHEDULES.get("wsdc-exp").min()).isEqualTo(0.01);
        assertThat(SCHEDULES.get("rewarm-in-cooldown").min()).isEqualTo(0.1);
    }

    @Test
    void equalRecipesGiveEqualSchedules() {
        assertThat(Schedule.wsd(1e-3, 200).decayFrom(5000, 500, ONE_MINUS_SQRT, 0))
                .isEqualTo(Schedule.wsd(1e-3, 200).decayFrom(5000, 500, ONE_MINUS_SQRT, 0))
                .hasSameHashCodeAs(Schedule.wsd(1e-3, 200).decayFrom(5000, 500, ONE_MINUS_SQRT, 0))
                .isNotEqualTo(Schedule.wsd(1e-3, 200).decayFrom(5001, 500, ONE_MINUS_SQRT, 0));
    }
}
