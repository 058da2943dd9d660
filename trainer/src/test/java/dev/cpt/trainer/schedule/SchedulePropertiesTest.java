package dev.cpt.trainer.schedule;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of random valid schedules from every builder, with and without a fork (decay or
 * anneal) and a rewarm before or after it. {@link ScheduleCase} builds them and knows, from the
 * recipe alone, the lowest configured value, the peak and where a rewarm may jump.
 */
class SchedulePropertiesTest {

    /** Steps past the start of the last (endless) span that the sweeps look at. */
    private static final long TAIL = 300;
    private static final long[] FAR = {1L << 31, 1L << 40, 1_000_000_000_000_000L, Long.MAX_VALUE - 1};

    @Property(tries = 300)
    void learningRateIsFiniteAndBetweenTheLowestConfiguredValueAndThePeak(@ForAll("schedules") ScheduleCase c) {
        Schedule s = c.schedule();
        assertThat(s.max()).isEqualTo(c.peak());
        assertThat(s.min()).isGreaterThanOrEqualTo(c.min());
        for (long step : steps(s)) {
            double lr = s.lr(step);
            assertThat(Double.isFinite(lr)).as("lr(%d) = %s is finite", step, lr).isTrue();
            assertThat(lr).as("lr(%d)", step).isBetween(c.min(), c.peak()).isBetween(s.min(), s.max());
        }
    }

    @Property(tries = 300)
    void everyPhaseStartsExactlyWhereThePreviousOneEndedExceptAtARewarm(@ForAll("schedules") ScheduleCase c) {
        Schedule s = c.schedule();
        List<Span> spans = s.spans();
        assertThat(spans.get(0).begin()).isZero();
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            assertThat(s.lr(span.begin())).as("lr at the start of %s", span).isEqualTo(span.from());
            if (i == 0) {
                continue;
            }
            Span prev = spans.get(i - 1);
            assertThat(span.begin()).as("spans tile the steps").isEqualTo(prev.end());
            if (!c.rewarmSteps().contains(span.begin())) {
                assertThat(span.from()).as("join of %s and %s", prev, span).isEqualTo(prev.to());
            }
        }
    }

    @Property(tries = 300)
    void decaysNeverRiseWarmupsNeverFallAndHoldsStayPut(@ForAll("schedules") ScheduleCase c) {
        Schedule s = c.schedule();
        for (Span span : s.spans()) {
            long last = Math.min(span.end(), span.begin() + 20_000) - 1; // bounded even for the endless span
            double prev = s.lr(span.begin());
            for (long step = span.begin() + 1; step <= last + 1; step++) {
                double v = step <= last ? s.lr(step) : span.to(); // ...and on into the value it ends at
                if (span.kind().decays()) {
                    assertThat(v).as("%s at %d", span, step).isLessThanOrEqualTo(prev);
                } else if (span.kind().rises()) {
                    assertThat(v).as("%s at %d", span, step).isGreaterThanOrEqualTo(prev);
                } else {
                    assertThat(v).as("%s at %d", span, step).isEqualTo(prev);
                }
                prev = v;
            }
        }
    }

    @Property(tries = 300)
    void aBranchEqualsItsMainRunBeforeTheForkStep(@ForAll("branches") ScheduleCase c) {
        for (long step = 0; step < c.forkStep(); step++) {
            assertThat(c.schedule().lr(step)).as("lr(%d)", step).isEqualTo(c.main().lr(step));
            assertThat(c.schedule().phase(step)).as("phase(%d)", step).isEqualTo(c.main().phase(step));
        }
        assertThat(c.schedule().lr(c.forkStep())).isEqualTo(c.main().lr(c.forkStep()));
    }

    @Property(tries = 200)
    void learningRateIsAPureFunctionOfTheStep(@ForAll("schedules") ScheduleCase c) {
        Schedule s = c.schedule();
        Schedule again = c.rebuild();
        assertThat(again).isEqualTo(s).hasSameHashCodeAs(s).hasToString(s.toString());
        for (long step : steps(s)) {
            double first = s.lr(step);
            assertThat(s.lr(step)).isEqualTo(first);
            assertThat(again.lr(step)).isEqualTo(first);
            assertThat(s.phase(step)).isEqualTo(again.phase(step)).isEqualTo(s.span(step).kind().label());
        }
    }

    @Provide
    Arbitrary<ScheduleCase> schedules() {
        return cases(Arbitraries.of(ScheduleCase.Fork.values()), Arbitraries.of(ScheduleCase.When.values()));
    }

    @Provide
    Arbitrary<ScheduleCase> branches() {
        // a rewarm applied after the fork may lie before it, and then rightly changes those steps
        return cases(Arbitraries.of(ScheduleCase.Fork.DECAY, ScheduleCase.Fork.ANNEAL),
                Arbitraries.of(ScheduleCase.When.NONE, ScheduleCase.When.BEFORE_FORK));
    }

    private static Arbitrary<ScheduleCase> cases(Arbitrary<ScheduleCase.Fork> forks,
                                                 Arbitrary<ScheduleCase.When> rewarmWhen) {
        Arbitrary<Shape> decayShapes = Arbitraries.of(Shape.LINEAR, Shape.COSINE, Shape.ONE_MINUS_SQRT,
                Shape.EXPONENTIAL, Shape.INVERSE_SQRT);
        Arbitrary<Double> fractions = Arbitraries.doubles().between(0, 1).ofScale(4);
        Arbitrary<ScheduleCase.Base> bases = Combinators.combine(
                Arbitraries.of(ScheduleCase.Builder.values()),
                Arbitraries.doubles().between(-6, 0).ofScale(3).map(e -> Math.pow(10, e)),
                Arbitraries.longs().between(0, 2000),
                Arbitraries.longs().between(1, 3000),
                decayShapes,
                fractions).as(ScheduleCase.Base::new);
        Arbitrary<ScheduleCase.Branch> branches = Combinators.combine(
                forks,
                Arbitraries.longs().between(0, 8000),
                Arbitraries.longs().between(1, 3000),
                decayShapes,
                fractions).as(ScheduleCase.Branch::new);
        Arbitrary<ScheduleCase.Rewarm> rewarms = Combinators.combine(
                rewarmWhen,
                Arbitraries.longs().between(0, 8000),
                Arbitraries.longs().between(1, 2000),
                Arbitraries.of(true, false),
                fractions).as(ScheduleCase.Rewarm::new);
        return Combinators.combine(bases, branches, rewarms).as(ScheduleCase::build);
    }

    /** Every step of every finite span, {@link #TAIL} steps into the endless one, and a few far steps. */
    private static List<Long> steps(Schedule s) {
        List<Span> spans = s.spans();
        long end = spans.get(spans.size() - 1).begin() + TAIL;
        List<Long> steps = new ArrayList<>();
        for (long step = 0; step < end; step++) {
            steps.add(step);
        }
        for (long far : FAR) {
            steps.add(far);
        }
        return steps;
    }
}
