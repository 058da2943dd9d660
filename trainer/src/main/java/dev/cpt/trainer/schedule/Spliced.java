package dev.cpt.trainer.schedule;

import java.util.List;

/**
 * A schedule with a stretch replaced: {@code base} before step {@code at}; {@code patch}, shifted
 * to begin at {@code at}, on {@code [at, resume)}; {@code base} again from {@code resume} on
 * (never, when {@code resume} is {@link Schedule#FOREVER}).
 *
 * <p>This is how branches, anneals and rewarms are built, and why a branch is exactly its main
 * run before its fork step: the base is consulted, not copied. Build one with
 * {@link Schedule#decayFrom}, {@link Schedule#annealFrom} or {@link Schedule#withRewarm}, which
 * choose a patch that starts where it should (continuous at a fork, a deliberate drop at a rewarm)
 * and ends where it should (exactly the base's value at {@code resume}).
 *
 * @param base   the schedule outside the patch
 * @param at     first step of the patch, {@code >= 0}
 * @param patch  phases from its own step 0, run from {@code at}
 * @param resume first step at which {@code base} applies again, {@code > at}, or {@code FOREVER}
 */
public record Spliced(Schedule base, long at, Phased patch, long resume) implements Schedule {

    /** Checks the parameter rules in the class comment. */
    public Spliced {
        Check.notNull("base", base);
        Check.notNull("patch", patch);
        Check.nonNegative("at", at);
        if (resume <= at) {
            throw new IllegalArgumentException("resume must be > at (" + at + "), got " + resume);
        }
    }

    static Schedule fall(Schedule base, Phase.Kind kind, String stepName, long step, String stepsName, long steps,
                         Shape shape, double floor) {
        Check.nonNegative(stepName, step);
        Check.atLeastOne(stepsName, steps);
        Check.notNull("shape", shape);
        Check.nonNegative("floor", floor);
        double start = base.lr(step);
        Check.atMost("floor", floor, "the learning rate at " + stepName + " " + step, start);
        Check.reachableBy(shape, "floor", floor);
        Check.sum(stepName + " + " + stepsName, step, steps);
        Phased patch = new Phased(List.of(
                new Phase(kind, steps, start, floor, shape), Phase.forever(Phase.Kind.FLOOR, floor)));
        return new Spliced(base, step, patch, FOREVER);
    }

    static Schedule rewarm(Schedule base, long atStep, long steps, double from) {
        Check.nonNegative("atStep", atStep);
        Check.atLeastOne("steps", steps);
        Check.nonNegative("from", from);
        long resume = Check.sum("atStep + steps", atStep, steps);
        double target = base.lr(resume);
        Check.atMost("from", from, "the learning rate at atStep + steps = " + resume, target);
        Phased patch = new Phased(List.of(
                new Phase(Phase.Kind.REWARM, steps, from, target, Shape.LINEAR),
                Phase.forever(Phase.Kind.STABLE, target))); // never reached: the base resumes first
        return new Spliced(base, atStep, patch, resume);
    }

    @Override
    public double lr(long step) {
        Check.nonNegative("step", step);
        if (step < at) {
            return base.lr(step);
        }
        return step < resume ? patch.lr(step - at) : base.lr(step);
    }

    @Override
    public Span span(long step) {
        Check.nonNegative("step", step);
        if (step < at) {
            Span s = base.span(step);
            // `at` lies strictly inside s, so base.lr(at) is on s's own curve: the honest end value.
            return s.end() > at ? s.endAt(at, base.lr(at)) : s;
        }
        if (step < resume) {
            Span s = patch.span(step - at).shift(at);
            return s.end() > resume ? s.endAt(resume, patch.lr(resume - at)) : s;
        }
        Span s = base.span(step);
        return s.begin() < resume ? s.beginAt(resume, base.lr(resume)) : s;
    }

    @Override
    public double min() {
        return Math.min(base.min(), patch.min());
    }

    @Override
    public double max() {
        return Math.max(base.max(), patch.max());
    }

    /**
     * E.g. {@code "warmup 200 -> 1.0e-03, stable | from 5000: decay 500 1-sqrt 1.0e-03 -> 0.0e+00, floor"},
     * or for a rewarm {@code "... | from 5000: rewarm 100 -> 1.0e-03 | base from 5100"}.
     */
    @Override
    public String toString() {
        return base + " | from " + at + ": " + patch.describe(resume == FOREVER ? FOREVER : resume - at)
                + (resume == FOREVER ? "" : " | base from " + resume);
    }
}
