package dev.cpt.trainer.schedule;

import java.util.List;

/**
 * Phases run one after the other from step 0: phase {@code i} covers the steps after the
 * first {@code i} phases' lengths.
 *
 * <p>Rules, checked on construction: at least one phase; each phase starts exactly at the
 * previous phase's end value (so the schedule never jumps between phases); only the last phase
 * lasts {@link Schedule#FOREVER}, and it must, so that every step has a value; the finite
 * lengths add up to less than {@code Long.MAX_VALUE}.
 *
 * @param phases in order; copied
 */
public record Phased(List<Phase> phases) implements Schedule {

    /** Validates the rules in the class comment. */
    public Phased {
        phases = List.copyOf(Check.notNull("phases", phases));
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("phases must not be empty");
        }
        long total = 0;
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            boolean last = i == phases.size() - 1;
            if (p.endless() != last) {
                throw new IllegalArgumentException("phase " + i + " (" + p.kind() + ") "
                        + (last ? "is the last, so it must last forever" : "lasts forever but is not the last")
                        + ", got steps " + p.steps());
            }
            if (i > 0 && p.start() != phases.get(i - 1).end()) {
                throw new IllegalArgumentException("phase " + i + " (" + p.kind() + ") start must equal phase "
                        + (i - 1) + "'s end (" + Lr.format(phases.get(i - 1).end()) + "), got " + Lr.format(p.start()));
            }
            if (!last) {
                total = Check.sum("sum of phase lengths", total, p.steps());
            }
        }
    }

    @Override
    public double lr(long step) {
        Check.nonNegative("step", step);
        long begin = 0;
        for (Phase p : phases) {
            if (p.endless() || step - begin < p.steps()) {
                return p.value(step - begin);
            }
            begin += p.steps();
        }
        throw new AssertionError("the last phase is endless");
    }

    @Override
    public Span span(long step) {
        Check.nonNegative("step", step);
        long begin = 0;
        for (Phase p : phases) {
            if (p.endless()) {
                return new Span(p.kind(), begin, FOREVER, p.start(), p.end());
            }
            if (step - begin < p.steps()) {
                return new Span(p.kind(), begin, begin + p.steps(), p.start(), p.end());
            }
            begin += p.steps();
        }
        throw new AssertionError("the last phase is endless");
    }

    @Override
    public double min() {
        return phases.stream().mapToDouble(p -> Math.min(p.start(), p.end())).min().orElseThrow();
    }

    @Override
    public double max() {
        return phases.stream().mapToDouble(p -> Math.max(p.start(), p.end())).max().orElseThrow();
    }

    /** E.g. {@code "warmup 200 -> 1.0e-03, stable"}. */
    @Override
    public String toString() {
        return describe(FOREVER);
    }

    /** The phases that begin before {@code until}, the first one with its start value. */
    String describe(long until) {
        StringBuilder out = new StringBuilder();
        long begin = 0;
        for (Phase p : phases) {
            if (begin >= until) {
                break;
            }
            boolean first = begin == 0;
            out.append(first ? "" : ", ").append(p.describe(first && (p.start() != 0 || p.endless())));
            begin = p.endless() ? FOREVER : begin + p.steps();
        }
        return out.toString();
    }
}
