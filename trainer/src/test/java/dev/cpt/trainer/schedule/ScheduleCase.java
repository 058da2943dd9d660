package dev.cpt.trainer.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * A random valid schedule for {@link SchedulePropertiesTest}, with what the recipe alone says
 * about it: the lowest configured value, the peak, the main run a branch forked from and the
 * steps at which a rewarm may jump. Random fractions are turned into valid parameters here
 * (floors below the value they decay from, positive ends for exp and rsqrt), so no try is
 * discarded.
 */
record ScheduleCase(Schedule schedule, Schedule main, long forkStep, double min, double peak, List<Long> rewarmSteps,
                    Base base, Branch branch, Rewarm rewarm) {

    enum Builder { CONSTANT, WSD, WSD_FROM, INFINITE, WSDC }

    enum Fork { NONE, DECAY, ANNEAL }

    enum When { NONE, BEFORE_FORK, AFTER_FORK }

    record Base(Builder builder, double peak, long warmup, long length, Shape shape, double fraction) {
    }

    record Branch(Fork fork, long step, long steps, Shape shape, double fraction) {
    }

    record Rewarm(When when, long at, long steps, boolean explicitFrom, double fraction) {
    }

    static ScheduleCase build(Base base, Branch branch, Rewarm rewarm) {
        double peak = base.peak();
        double noWarmup = base.warmup() > 0 ? 0 : peak;
        double f = base.shape().needsPositiveValues() ? 0.01 + 0.99 * base.fraction() : base.fraction();
        Schedule s;
        double min;
        switch (base.builder()) {
            case CONSTANT -> {
                s = Schedule.constant(peak);
                min = peak;
            }
            case WSD -> {
                s = Schedule.wsd(peak, base.warmup());
                min = noWarmup;
            }
            case WSD_FROM -> {
                s = Schedule.wsd(peak, base.warmup(), base.fraction() * peak);
                min = base.warmup() > 0 ? base.fraction() * peak : peak;
            }
            case INFINITE -> {
                s = Schedule.infinite(peak, base.warmup(), base.length(), base.shape(), f);
                min = Math.min(noWarmup, peak * f);
            }
            case WSDC -> {
                s = Schedule.wsdc(peak, base.warmup(), base.length(), base.shape(), f * peak);
                min = Math.min(noWarmup, f * peak);
            }
            default -> throw new AssertionError(base.builder());
        }
        List<Long> jumps = new ArrayList<>();
        if (rewarm.when() == When.BEFORE_FORK || (rewarm.when() == When.AFTER_FORK && branch.fork() == Fork.NONE)) {
            min = Math.min(min, rewarmFrom(s, rewarm));
            s = withRewarm(s, rewarm);
            jumps.add(rewarm.at());
        }
        Schedule main = s;
        if (branch.fork() != Fork.NONE) {
            double start = s.lr(branch.step());
            Shape shape = branch.shape().needsPositiveValues() && start == 0 ? Shape.LINEAR : branch.shape();
            double floor = shape.needsPositiveValues() ? start * (0.001 + 0.999 * branch.fraction())
                    : start * branch.fraction();
            floor = Math.min(floor, start); // rounding must not put the floor above the start
            s = branch.fork() == Fork.DECAY
                    ? s.decayFrom(branch.step(), branch.steps(), shape, floor)
                    : s.annealFrom(branch.step(), branch.steps(), shape, floor);
            min = Math.min(min, floor);
            if (rewarm.when() == When.AFTER_FORK) {
                min = Math.min(min, rewarmFrom(s, rewarm));
                s = withRewarm(s, rewarm);
                jumps.add(rewarm.at());
            }
        }
        long fork = branch.fork() == Fork.NONE ? -1 : branch.step();
        return new ScheduleCase(s, main, fork, min, peak, List.copyOf(jumps), base, branch, rewarm);
    }

    /** The same recipe built again: must give an equal schedule. */
    Schedule rebuild() {
        return build(base, branch, rewarm).schedule();
    }

    private static double rewarmFrom(Schedule s, Rewarm r) {
        return r.explicitFrom() ? r.fraction() * s.lr(r.at() + r.steps()) : s.min();
    }

    private static Schedule withRewarm(Schedule s, Rewarm r) {
        return r.explicitFrom()
                ? s.withRewarm(r.at(), r.steps(), rewarmFrom(s, r))
                : s.withRewarm(r.at(), r.steps());
    }

    @Override
    public String toString() {
        return schedule.toString();
    }
}
