package dev.cpt.trainer.schedule;

/**
 * One piece of a schedule: the learning rate moves from {@code start} to {@code end} over
 * {@code steps} steps along {@code shape}. At {@code t} steps into the phase the value is
 * {@code shape.value(start, end, t / steps)}; the phase's own last step is {@code t = steps - 1},
 * and {@code end} is the value the next phase starts at.
 *
 * <p>A phase of {@link Schedule#FOREVER} steps never ends; it must be a {@link Shape#CONSTANT}
 * hold ({@code start == end}), since progress through an endless phase is undefined.
 *
 * @param kind  what the phase is for; its direction is enforced (a decay never goes up)
 * @param steps length in steps, {@code >= 1}, or {@link Schedule#FOREVER}
 * @param start value at the phase's first step, finite and {@code >= 0}
 * @param end   value the phase approaches and the next phase starts at, finite and {@code >= 0}
 * @param shape the curve between them
 */
public record Phase(Kind kind, long steps, double start, double end, Shape shape) {

    /** What a phase is for; {@link #label()} is the name reported to telemetry. */
    public enum Kind {
        /** Rising from the first value to the peak at the start of training. */
        WARMUP("warmup", 1),
        /** Holding the main run's learning rate. */
        STABLE("stable", 0),
        /** The infinite schedule's fall from the peak to its constant value. */
        COOLDOWN("cooldown", -1),
        /** A branch's decay from the fork step's value to its floor. */
        DECAY("decay", -1),
        /** The infinite schedule's final fall from its constant value to its floor. */
        ANNEAL("anneal", -1),
        /** Rising again after a deliberate drop, when a stream is seen for the first time. */
        REWARM("rewarm", 1),
        /** Holding the floor after a decay or anneal. */
        FLOOR("floor", 0);

        private final String label;
        private final int direction;

        Kind(String label, int direction) {
            this.label = label;
            this.direction = direction;
        }

        /** Lower-case name for telemetry, e.g. {@code "warmup"}. */
        public String label() {
            return label;
        }

        /** Whether phases of this kind never go up (cooldown, decay, anneal). */
        public boolean decays() {
            return direction < 0;
        }

        /** Whether phases of this kind never go down (warmup, rewarm). */
        public boolean rises() {
            return direction > 0;
        }

        /** Whether phases of this kind hold one value (stable, floor). */
        public boolean holds() {
            return direction == 0;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Validates every rule in the class comment; messages name the field, value and rule. */
    public Phase {
        Check.notNull("kind", kind);
        Check.notNull("shape", shape);
        Check.atLeastOne(kind + " steps", steps);
        Check.nonNegative(kind + " start", start);
        Check.nonNegative(kind + " end", end);
        if (steps == Schedule.FOREVER && (shape != Shape.CONSTANT || start != end)) {
            throw new IllegalArgumentException(kind + " lasts forever, so it must be a constant hold (start == end),"
                    + " got " + shape + " " + Lr.format(start) + " -> " + Lr.format(end));
        }
        if (shape == Shape.CONSTANT && start != end) {
            throw new IllegalArgumentException(kind + " shape constant needs start == end, got "
                    + Lr.format(start) + " -> " + Lr.format(end));
        }
        if (shape.needsPositiveValues() && !(start > 0 && end > 0)) {
            throw new IllegalArgumentException(kind + " shape " + shape + " needs start > 0 and end > 0"
                    + " (it cannot reach or leave 0), got " + Lr.format(start) + " -> " + Lr.format(end));
        }
        if ((kind.decays() && end > start) || (kind.rises() && end < start) || (kind.holds() && end != start)) {
            String rule = kind.decays() ? "end <= start" : kind.rises() ? "end >= start" : "end == start";
            throw new IllegalArgumentException(kind + " must have " + rule + ", got "
                    + Lr.format(start) + " -> " + Lr.format(end));
        }
    }

    /** A linear warmup from {@code from} to {@code peak} over {@code steps} steps. */
    public static Phase warmup(long steps, double from, double peak) {
        return new Phase(Kind.WARMUP, steps, from, peak, Shape.LINEAR);
    }

    /** A constant hold at {@code value} that never ends. */
    public static Phase forever(Kind kind, double value) {
        return new Phase(kind, Schedule.FOREVER, value, value, Shape.CONSTANT);
    }

    /** Whether this phase never ends. */
    public boolean endless() {
        return steps == Schedule.FOREVER;
    }

    /**
     * The value {@code t} steps into the phase.
     *
     * @param t steps since the phase began, {@code 0 <= t <= steps}; {@code t == steps} gives {@link #end()}
     */
    public double value(long t) {
        if (endless() || t <= 0) {
            return start;
        }
        if (t >= steps) {
            return end;
        }
        return shape.value(start, end, (double) t / (double) steps);
    }

    /**
     * E.g. {@code "warmup 200 -> 1.0e-03"}, {@code "decay 500 1-sqrt -> 0.0e+00"}, {@code "stable"};
     * with {@code showStart} the start value is included, for a first phase or after a jump.
     */
    String describe(boolean showStart) {
        if (endless()) {
            return showStart ? kind + " " + Lr.format(start) : kind.label();
        }
        boolean plainRamp = shape == Shape.LINEAR && kind.rises();
        return kind + " " + steps + (plainRamp ? "" : " " + shape) + " "
                + (showStart ? Lr.format(start) + " " : "") + "-> " + Lr.format(end);
    }

    @Override
    public String toString() {
        return describe(true);
    }
}
