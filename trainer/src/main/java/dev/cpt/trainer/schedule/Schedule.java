package dev.cpt.trainer.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * A learning-rate schedule: an immutable value whose only behaviour is the pure function
 * {@link #lr(long)}. A checkpoint therefore stores the step and nothing else about the schedule.
 *
 * <p>Steps are update counts: step 0 is the first optimizer update. Every schedule is defined for
 * every step {@code >= 0} (its last phase lasts {@link #FOREVER}).
 *
 * <p>A schedule is either a list of {@link Phase phases} from step 0 ({@link Phased}), or another
 * schedule with a stretch replaced from some step on ({@link Spliced}): that is how a decay branch,
 * an anneal and a rewarm are built, so a branch equals its main run, value for value, before its
 * fork step.
 */
public sealed interface Schedule permits Phased, Spliced {

    /** Length of a phase that never ends, and the end of a span that never ends. */
    long FOREVER = Long.MAX_VALUE;

    /**
     * The learning rate for the update at {@code step}.
     *
     * @param step {@code >= 0}
     * @return a finite value in {@code [min(), max()]}
     * @throws IllegalArgumentException if {@code step < 0}
     */
    double lr(long step);

    /** The span (phase as run) that contains {@code step}. */
    Span span(long step);

    /** The lowest value any phase of this schedule is configured with (0 when it warms up from 0). */
    double min();

    /** The highest value any phase of this schedule is configured with (the peak). */
    double max();

    /**
     * The phase name at {@code step}, for telemetry: one of "warmup", "stable", "cooldown",
     * "decay", "anneal", "rewarm", "floor".
     */
    default String phase(long step) {
        return span(step).kind().label();
    }

    /** Every span in order, from step 0 to the endless last one. */
    default List<Span> spans() {
        List<Span> out = new ArrayList<>();
        Span s = span(0);
        out.add(s);
        while (!s.endless()) {
            s = span(s.end());
            out.add(s);
        }
        return List.copyOf(out);
    }

    /**
     * A decay branch forked at {@code forkStep}: identical to this schedule before {@code forkStep};
     * from there a {@link Phase.Kind#DECAY decay} over {@code decaySteps} steps from
     * {@code lr(forkStep)} to {@code floor} along {@code shape}; then the floor forever.
     *
     * @throws IllegalArgumentException if {@code forkStep < 0}, {@code decaySteps < 1},
     *     {@code floor} is negative or above {@code lr(forkStep)}, or the shape needs positive
     *     values and {@code floor == 0}
     */
    default Schedule decayFrom(long forkStep, long decaySteps, Shape shape, double floor) {
        return Spliced.fall(this, Phase.Kind.DECAY, "forkStep", forkStep, "decaySteps", decaySteps, shape, floor);
    }

    /**
     * The infinite schedule's anneal: the same as {@link #decayFrom} (identical before
     * {@code step}, then {@code steps} steps down to {@code floor}, then the floor forever), but
     * reported as "anneal".
     */
    default Schedule annealFrom(long step, long steps, Shape shape, double floor) {
        return Spliced.fall(this, Phase.Kind.ANNEAL, "step", step, "steps", steps, shape, floor);
    }

    /**
     * This schedule with a rewarm from {@link #min()}; see {@link #withRewarm(long, long, double)}.
     * For a schedule that warms up from 0 this drops to 0, as at the very start of training.
     */
    default Schedule withRewarm(long atStep, long steps) {
        return withRewarm(atStep, steps, min());
    }

    /**
     * This schedule with a rewarm, used when a stream is seen for the first time: identical to
     * this schedule before {@code atStep}; at {@code atStep} the value drops to {@code from}; it
     * then rises linearly, {@code from + (target - from) * (step - atStep) / steps}, where
     * {@code target = lr(atStep + steps)} of this schedule; from {@code atStep + steps} on it is
     * this schedule again, so the rewarm rejoins it exactly. Whatever this schedule does inside
     * {@code [atStep, atStep + steps)} (e.g. a cooldown) is replaced, not shifted: the rewarm costs
     * no schedule time.
     *
     * @throws IllegalArgumentException if {@code atStep < 0}, {@code steps < 1}, {@code from} is
     *     negative, or {@code from > target} (a rewarm never goes down)
     */
    default Schedule withRewarm(long atStep, long steps, double from) {
        return Spliced.rewarm(this, atStep, steps, from);
    }

    /** A schedule made of {@code phases} from step 0; see {@link Phased} for the rules. */
    public static Schedule of(Phase... phases) {
        return new Phased(List.of(phases));
    }

    /** {@code lr} for every step. */
    public static Schedule constant(double lr) {
        return of(Phase.forever(Phase.Kind.STABLE, Check.positive("lr", lr)));
    }

    /** The main run: linear warmup from 0 to {@code peak} over {@code warmupSteps}, then {@code peak} forever. */
    public static Schedule wsd(double peak, long warmupSteps) {
        return wsd(peak, warmupSteps, 0);
    }

    /**
     * The main run with a warmup that starts at {@code warmupStart} instead of 0 (so the first
     * update is not a zero step).
     *
     * @param warmupStart in {@code [0, peak]}
     */
    public static Schedule wsd(double peak, long warmupSteps, double warmupStart) {
        List<Phase> phases = new ArrayList<>();
        Check.positive("peak", peak);
        warmup(phases, peak, warmupSteps, warmupStart);
        phases.add(Phase.forever(Phase.Kind.STABLE, peak));
        return new Phased(phases);
    }

    /**
     * The "infinite" schedule of the continual-pretraining literature (Ibrahim et al. 2024):
     * linear warmup from 0 to {@code peak}, a {@code cooldownShape} cooldown over
     * {@code cooldownSteps} to {@code constantFraction * peak}, then that constant forever. Add
     * the final anneal with {@link #annealFrom}.
     *
     * @param cooldownSteps {@code >= 1}, or 0 when {@code constantFraction == 1} (no cooldown)
     * @param constantFraction in {@code [0, 1]}; {@code > 0} for shapes that need positive values
     */
    public static Schedule infinite(double peak, long warmupSteps, long cooldownSteps, Shape cooldownShape,
                             double constantFraction) {
        List<Phase> phases = new ArrayList<>();
        Check.positive("peak", peak);
        Check.notNull("cooldownShape", cooldownShape);
        double constant = peak * Check.fraction("constantFraction", constantFraction);
        Check.reachableBy(cooldownShape, "constantFraction", constantFraction);
        warmup(phases, peak, warmupSteps, 0);
        if (Check.nonNegative("cooldownSteps", cooldownSteps) > 0) {
            phases.add(new Phase(Phase.Kind.COOLDOWN, cooldownSteps, peak, constant, cooldownShape));
        } else if (constantFraction != 1) {
            throw new IllegalArgumentException("cooldownSteps must be >= 1 when constantFraction < 1 ("
                    + constantFraction + "), got 0");
        }
        phases.add(Phase.forever(Phase.Kind.STABLE, constant));
        return new Phased(phases);
    }

    /**
     * Warmup, decay, constant floor: linear warmup from 0 to {@code peak}, a {@code shape} decay
     * over {@code decaySteps} to {@code floor}, then {@code floor} forever.
     *
     * @param floor in {@code [0, peak]}; {@code > 0} for shapes that need positive values
     */
    public static Schedule wsdc(double peak, long warmupSteps, long decaySteps, Shape shape, double floor) {
        List<Phase> phases = new ArrayList<>();
        Check.positive("peak", peak);
        Check.notNull("shape", shape);
        Check.atLeastOne("decaySteps", decaySteps);
        Check.atMost("floor", Check.nonNegative("floor", floor), "peak", peak);
        Check.reachableBy(shape, "floor", floor);
        warmup(phases, peak, warmupSteps, 0);
        phases.add(new Phase(Phase.Kind.DECAY, decaySteps, peak, floor, shape));
        phases.add(Phase.forever(Phase.Kind.FLOOR, floor));
        return new Phased(phases);
    }

    private static void warmup(List<Phase> phases, double peak, long warmupSteps, double warmupStart) {
        Check.nonNegative("warmupSteps", warmupSteps);
        Check.atMost("warmupStart", Check.nonNegative("warmupStart", warmupStart), "peak", peak);
        if (warmupSteps > 0) { // no warmup at all is a legitimate choice, not a zero-length phase
            phases.add(Phase.warmup(warmupSteps, warmupStart, peak));
        }
    }
}
