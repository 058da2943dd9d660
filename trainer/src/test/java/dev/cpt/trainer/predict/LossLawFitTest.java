package dev.cpt.trainer.predict;

import dev.cpt.trainer.predict.LossLawFit.Fit;
import dev.cpt.trainer.predict.SyntheticRun.Noise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * The fit against synthetic runs drawn from a known law. {@code c = 2} makes the annealing term
 * a visible but moderate part of the loss at the branch ends (lr 1e-3, 1-sqrt to 0 over 20% of
 * the steps so far): S2 is 0.077, 0.146, 0.209 for forks at 600, 1200, 1800, so {@code c * S2}
 * is 4%, 9% and 14% of the loss, and 15% (S2 = 0.229) for the held-out fork at 2000.
 */
class LossLawFitTest {

    static final LossLaw TRUE = new LossLaw(2.0, 1.5, 0.5, 2.0);
    static final long[] FORKS = {600, 1200, 1800};
    static final long HELD_OUT = 2000;

    @Test
    void shouldRecoverKnownParametersFromASyntheticWsdCurve() {
        Fit fit = LossLawFit.fit(run(Noise.none())).orElseThrow();

        assertThat(fit.annealingSeen()).isTrue();
        assertThat(fit.points()).isEqualTo(23);
        assertThat(fit.rmsLogError()).isLessThan(1e-9);
        LossLaw law = fit.law();
        assertThat(law.l0()).isCloseTo(TRUE.l0(), withinPercentage(1));
        assertThat(law.a()).isCloseTo(TRUE.a(), withinPercentage(1));
        assertThat(law.alpha()).isCloseTo(TRUE.alpha(), withinPercentage(1));
        assertThat(law.c()).isCloseTo(TRUE.c(), withinPercentage(1));
    }

    @Test
    void shouldPredictAHeldOutBranchWithinATenthOfAPercentWithoutNoise() {
        LossLaw law = LossLawFit.fit(run(Noise.none())).orElseThrow().law();

        LrIntegrals end = SyntheticRun.branchEnd(HELD_OUT);
        assertThat(law.predict(end)).isCloseTo(TRUE.predict(end), withinPercentage(0.1));
    }

    @Test
    void shouldPredictAHeldOutBranchWithinTwoPercentFromNoisyData() {
        Fit fit = LossLawFit.fit(run(Noise.relative(0.005, 20240807L))).orElseThrow();

        assertThat(fit.annealingSeen()).isTrue();
        assertThat(fit.rmsLogError()).as("about the noise level").isBetween(0.001, 0.01);
        LrIntegrals end = SyntheticRun.branchEnd(HELD_OUT);
        assertThat(fit.law().predict(end)).isCloseTo(TRUE.predict(end), withinPercentage(2));
    }

    @Test
    void shouldPredictAnInRangeHeldOutBranchFromNoisyDataWhateverTheSeed() {
        // Not one lucky seed: the 2% bound holds for every seed of a small sweep.
        LrIntegrals end = SyntheticRun.branchEnd(1500);
        for (long seed = 1; seed <= 10; seed++) {
            LossLaw law = LossLawFit.fit(run(Noise.relative(0.005, seed))).orElseThrow().law();
            assertThat(law.predict(end)).as("seed %d", seed).isCloseTo(TRUE.predict(end), withinPercentage(2));
        }
    }

    @Test
    void shouldKeepCAtZeroAndReportNoAnnealingWhenOnlyTheMainRunIsObserved() {
        List<Observation> main = SyntheticRun.mainObservations(TRUE, 2000, 100, Noise.none());

        Fit fit = LossLawFit.fit(main).orElseThrow();

        assertThat(fit.annealingSeen()).isFalse();
        assertThat(fit.law().c()).isZero();
        assertThat(fit.rmsLogError()).isLessThan(1e-6);
        for (long step = 100; step <= 2500; step += 100) {
            LrIntegrals at = SyntheticRun.main(step);
            assertThat(fit.law().predict(at)).as("step %d", step).isCloseTo(TRUE.predict(at), withinPercentage(0.1));
        }
    }

    @Test
    void shouldReturnEmptyForFewerThanFourPoints() {
        List<Observation> three = SyntheticRun.mainObservations(TRUE, 300, 100, Noise.none());

        assertThat(LossLawFit.fit(three)).isEmpty();
        assertThat(LossLawFit.fit(List.of())).isEmpty();
    }

    @Test
    void shouldReturnEmptyWhenS1TakesFewerThanThreeDistinctValues() {
        List<Observation> constant = List.of(new Observation(1, 0, 3.0), new Observation(1, 0, 3.1),
                new Observation(1, 0.1, 2.9), new Observation(1, 0, 3.05));
        List<Observation> two = List.of(new Observation(1, 0, 3.0), new Observation(2, 0, 2.8),
                new Observation(1, 0, 3.1), new Observation(2, 0, 2.7), new Observation(2, 0.1, 2.6));

        assertThat(LossLawFit.fit(constant)).isEmpty();
        assertThat(LossLawFit.fit(two)).isEmpty();
    }

    @Test
    void shouldGiveTheIdenticalFitForTheSameInput() {
        Optional<Fit> first = LossLawFit.fit(run(Noise.relative(0.005, 7)));
        Optional<Fit> second = LossLawFit.fit(new ArrayList<>(run(Noise.relative(0.005, 7))));

        assertThat(first).isPresent();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldFitTwoHundredPoints() {
        List<Observation> points = new ArrayList<>(SyntheticRun.mainObservations(TRUE, 1970, 10, Noise.relative(0.005, 3)));
        for (long fork : FORKS) {
            points.add(SyntheticRun.branchObservation(TRUE, fork, Noise.relative(0.005, fork)));
        }
        assertThat(points).hasSize(200);
        assertThat(LossLawFit.fit(points)).hasValueSatisfying(f -> assertThat(f.points()).isEqualTo(200));
    }

    /** Main run to step 2000 observed every 100 steps, plus one observation at the end of each branch. */
    static List<Observation> run(Noise noise) {
        List<Observation> points = new ArrayList<>(SyntheticRun.mainObservations(TRUE, 2000, 100, noise));
        for (long fork : FORKS) {
            points.add(SyntheticRun.branchObservation(TRUE, fork, noise));
        }
        return points;
    }
}
