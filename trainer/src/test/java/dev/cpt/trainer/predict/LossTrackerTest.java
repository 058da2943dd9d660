package dev.cpt.trainer.predict;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LossTrackerTest {

    @Test
    void shouldRecordTheMeanLossOverStreamsAtTheCurrentIntegrals() {
        LossTracker t = LossTracker.start();
        t.step(1e-3);
        t.step(1e-3);
        t.evaluated(Map.of("a", 2.0, "b", 4.0));

        assertThat(t.observations()).containsExactly(new Observation(2e-3, 0, 3.0));
        assertThat(t.streams()).containsExactly("a", "b");
    }

    @Test
    void shouldIgnoreEvaluationsBeforeAnyStepAfterWarmupAndEmptyOnes() {
        LossTracker t = LossTracker.start();
        t.evaluated(Map.of("a", 2.0));
        t.step(1e-3);
        t.evaluated(Map.of());

        assertThat(t.observations()).isEmpty();
    }

    @Test
    void shouldStartTheHistoryAgainWhenTheSetOfStreamsChanges() {
        LossTracker t = LossTracker.start();
        t.step(1e-3);
        t.evaluated(Map.of("a", 2.0));
        t.step(1e-3);
        t.evaluated(Map.of("a", 1.9));
        t.step(1e-3);
        t.evaluated(Map.of("a", 1.8, "new", 5.0));

        assertThat(t.observations()).extracting(Observation::loss).containsExactly(3.4);
        assertThat(t.streams()).containsExactly("a", "new");
    }

    @Test
    void shouldStayBoundedAndKeepTheNewestPoints() {
        LossTracker t = LossTracker.start();
        for (int i = 1; i <= 1000; i++) {
            t.step(1e-3);
            t.evaluated(Map.of("a", 2.0 + 1.0 / i));
        }
        assertThat(t.observations()).hasSizeLessThanOrEqualTo(LossTracker.MAX_OBSERVATIONS);
        assertThat(t.observations().get(t.observations().size() - 1).loss()).isEqualTo(2.001);
        assertThat(t.observations().get(0).s1()).as("the very first point is kept").isEqualTo(1e-3);
    }

    @Test
    void shouldContinueFromABranchsIntegralsWhenAdopted() {
        LossTracker t = LossTracker.start();
        t.step(1e-3);
        LrIntegrals branchEnd = t.integrals().advance(5e-4).advance(0);
        t.adopt(branchEnd);

        assertThat(t.integrals()).isEqualTo(branchEnd);
        assertThat(t.integrals().s2()).isPositive();
    }
}
