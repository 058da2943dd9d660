package dev.cpt.trainer.schedule;

/**
 * The stretch of steps {@code [begin, end)} over which a schedule follows one phase, as the
 * schedule actually runs it (a phase cut short by a fork, or resumed after a rewarm, gives a
 * shorter span). Meant for telemetry ("which phase, how far in") and for checking joins.
 *
 * @param kind  the phase's kind; {@code kind.label()} is what {@link Schedule#phase(long)} reports
 * @param begin first step of the span
 * @param end   first step after the span, or {@link Schedule#FOREVER}
 * @param from  the learning rate at {@code begin}
 * @param to    the value the span's curve reaches at {@code end}; the next span's {@code from}
 *              equals it exactly except where the schedule jumps on purpose (a rewarm's start)
 */
public record Span(Phase.Kind kind, long begin, long end, double from, double to) {

    /** Checks {@code 0 <= begin < end}. */
    public Span {
        Check.notNull("kind", kind);
        Check.nonNegative("begin", begin);
        if (end <= begin) {
            throw new IllegalArgumentException("end must be > begin (" + begin + "), got " + end);
        }
    }

    /** Whether the span never ends. */
    public boolean endless() {
        return end == Schedule.FOREVER;
    }

    /** Fraction of the span done at {@code step}, in {@code [0, 1)}; 0 for an endless span. */
    public double progress(long step) {
        return endless() ? 0 : (double) (step - begin) / (double) (end - begin);
    }

    Span shift(long by) {
        return new Span(kind, begin + by, endless() ? end : end + by, from, to);
    }

    Span endAt(long newEnd, double value) {
        return new Span(kind, begin, newEnd, from, value);
    }

    Span beginAt(long newBegin, double value) {
        return new Span(kind, newBegin, end, value, to);
    }
}
