package dev.cpt.monitor.forgetting;

import dev.cpt.core.store.Manifest.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.cpt.core.store.Manifest.Kind.DECAYED;
import static dev.cpt.core.store.Manifest.Kind.MAIN;
import static dev.cpt.monitor.forgetting.Events.event;
import static dev.cpt.monitor.forgetting.Events.matrix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ForgettingTest {

    private static final double EPS = 1e-12;

    /** The numbers worked out by hand in {@link WorkedExample}. */
    @ParameterizedTest(name = "{0} {1}: now {2} best {3} forgetting {4} after {5} at {6}")
    @CsvSource({
            // kind,  stream, now,   best,  forgetting, after, lastTrained, stillTraining
            "MAIN,    news,   3.125, 3.0,   0.125,      3.125, m5,          true",
            "MAIN,    code,   2.5,   2.0,   0.5,        2.0,   m3,          false",
            "MAIN,    wiki,   4.25,  4.0,   0.25,       4.0,   m4,          false",
            "DECAYED, news,   2.875, 2.875, 0.0,        2.875, d2,          true",
            "DECAYED, code,   1.625, 1.625, 0.0,        1.75,  d1,          false",
            "DECAYED, wiki,   3.875, 3.875, 0.0,        3.875, d2,          true",
    })
    void workedExamplePerStream(Kind kind, String stream, double now, double best, double forgetting, double after,
                                String lastTrained, boolean stillTraining) {
        StreamForgetting s = Forgetting.of(WorkedExample.matrix()).stream(kind, stream).orElseThrow();
        assertThat(s.stream()).isEqualTo(stream);
        assertThat(s.now()).isCloseTo(now, within(EPS));
        assertThat(s.best()).isCloseTo(best, within(EPS));
        assertThat(s.forgetting()).isCloseTo(forgetting, within(EPS));
        assertThat(s.after()).isCloseTo(after, within(EPS));
        assertThat(s.lastTrainedId()).isEqualTo(lastTrained);
        assertThat(s.stillTraining()).isEqualTo(stillTraining);
    }

    @ParameterizedTest(name = "{0}: BWT {1}, newest {2}")
    @CsvSource({
            "MAIN,    -0.375, m5",   // -mean(2.5 - 2.0, 4.25 - 4.0); news still training
            "DECAYED,  0.125, d2",   // -(1.625 - 1.75); news and wiki still training
    })
    void workedExampleBackwardTransfer(Kind kind, double bwt, String newest) {
        ForgettingReport r = Forgetting.of(WorkedExample.matrix());
        assertThat(r.backwardTransfer(kind)).isCloseTo(bwt, within(EPS));
        assertThat(r.of(kind).newestId()).isEqualTo(newest);
        assertThat(r.of(kind).streams()).containsOnlyKeys("code", "news", "wiki");
    }

    @Test
    void aStreamStillTrainedHasAfterEqualToNowAndStaysOutOfBwt() {
        LossMatrix m = matrix(
                event("m1", MAIN, "a", 10, 3.0, "b", 10, 2.0),
                event("m2", MAIN, "a", 20, 2.5, "b", 10, 2.25),
                event("m3", MAIN, "a", 30, 2.75, "b", 10, 2.5));
        ForgettingReport r = Forgetting.of(m);
        StreamForgetting a = r.stream(MAIN, "a").orElseThrow();
        assertThat(a.stillTraining()).isTrue();
        assertThat(a.after()).isEqualTo(a.now()).isEqualTo(2.75);
        assertThat(a.forgetting()).isCloseTo(0.25, within(EPS)); // forgetting still counts for it
        // only b: -(2.5 - 2.0); with a in, it would be -((2.5 - 2.0) + 0) / 2
        assertThat(r.backwardTransfer(MAIN)).isCloseTo(-0.5, within(EPS));
    }

    @Test
    void aStreamThatAppearsAtTheNewestColumnIsStillTraining() {
        LossMatrix m = matrix(
                event("m1", MAIN, "a", 10, 3.0),
                event("m2", MAIN, "a", 10, 3.5, "late", 5, 6.0));
        ForgettingReport r = Forgetting.of(m);
        assertThat(r.stream(MAIN, "late").orElseThrow())
                .isEqualTo(new StreamForgetting("late", 6.0, 6.0, 0.0, 6.0, "m2", true));
        assertThat(r.backwardTransfer(MAIN)).isCloseTo(-0.5, within(EPS)); // a only
    }

    @Test
    void aStreamOnlyEvaluatedNeverTrainedCountsItsFirstColumnAsTraining() {
        // tokens 0 throughout (an eval-only stream): its first column is where it was "last trained"
        LossMatrix m = matrix(
                event("m1", MAIN, "a", 10, 3.0, "probe", 0, 5.0),
                event("m2", MAIN, "a", 20, 2.5, "probe", 0, 4.75));
        StreamForgetting probe = Forgetting.of(m).stream(MAIN, "probe").orElseThrow();
        assertThat(probe.lastTrainedId()).isEqualTo("m1");
        assertThat(probe.after()).isEqualTo(5.0);
        assertThat(Forgetting.of(m).backwardTransfer(MAIN)).isCloseTo(0.25, within(EPS)); // -(4.75 - 5.0)
    }

    @Test
    void anEmptyMatrixHasNoStreamsAndNaNTransferForBothKinds() {
        ForgettingReport r = Forgetting.of(new LossMatrix());
        for (Kind k : Kind.values()) {
            assertThat(r.of(k).newestId()).isNull();
            assertThat(r.of(k).streams()).isEmpty();
            assertThat(r.backwardTransfer(k)).isNaN();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "one column: every stream was trained at the newest,      1",
            "the tokens of every stream grow at every column,            3",
    })
    void bwtIsNaNWhenNoStreamHasEndedTraining(String why, int columns) {
        LossMatrix m = new LossMatrix();
        for (int i = 1; i <= columns; i++) {
            m = m.with(event("m" + i, MAIN, "a", 10 * i, 3.0 - 0.1 * i, "b", 5 * i, 4.0 + 0.1 * i));
        }
        ForgettingReport r = Forgetting.of(m);
        assertThat(r.backwardTransfer(MAIN)).isNaN();
        assertThat(r.of(MAIN).streams().values()).allMatch(StreamForgetting::stillTraining);
        assertThat(r.backwardTransfer(DECAYED)).isNaN(); // no decayed columns at all
        assertThat(r.of(DECAYED).streams()).isEmpty();
    }

    @Test
    void nonFiniteLossesAreLeftOutAndDoNotSpoilTheBest() {
        LossMatrix m = matrix(
                event("m1", MAIN, "a", 10, 3.0, "broken", 10, Double.NaN),
                event("m2", MAIN, "a", 20, Double.NaN, "broken", 20, Double.POSITIVE_INFINITY),
                event("m3", MAIN, "a", 20, 3.5));
        ForgettingReport r = Forgetting.of(m);
        assertThat(r.of(MAIN).streams()).containsOnlyKeys("a"); // no finite loss, no stream
        assertThat(m.streams()).containsExactly("a");
        assertThat(m.loss("a", "m2")).isEmpty();
        StreamForgetting a = r.stream(MAIN, "a").orElseThrow();
        assertThat(a.best()).isEqualTo(3.0);
        assertThat(a.now()).isEqualTo(3.5);
        // the growth 10 -> 20 happened at m2, which has no loss for a: it shows at a's next measurement
        assertThat(a.lastTrainedId()).isEqualTo("m3");
        assertThat(a.stillTraining()).isTrue();
        assertThat(r.backwardTransfer(MAIN)).isNaN();
    }

    @Test
    void fewerTokensThanBeforeIsNotTraining() {
        // a branch forked from an earlier main step than the branch before it has fewer tokens
        LossMatrix m = matrix(
                event("d1", DECAYED, "a", 300, 2.0),
                event("d2", DECAYED, "a", 200, 2.25));
        StreamForgetting a = Forgetting.of(m).stream(DECAYED, "a").orElseThrow();
        assertThat(a.lastTrainedId()).isEqualTo("d1");
        assertThat(Forgetting.of(m).backwardTransfer(DECAYED)).isCloseTo(-0.25, within(EPS));
    }

    @Test
    void mainAndDecayedSeriesAreNeverMixed() {
        LossMatrix m = matrix(
                event("m1", MAIN, "a", 10, 3.0),
                event("d1", DECAYED, "a", 10, 1.0),
                event("m2", MAIN, "a", 10, 3.5));
        ForgettingReport r = Forgetting.of(m);
        assertThat(r.stream(MAIN, "a").orElseThrow().best()).isEqualTo(3.0); // not the branch's 1.0
        assertThat(r.stream(MAIN, "a").orElseThrow().forgetting()).isCloseTo(0.5, within(EPS));
        assertThat(r.stream(DECAYED, "a").orElseThrow().forgetting()).isEqualTo(0.0);
    }
}
