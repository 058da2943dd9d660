package dev.cpt.trainer.schedule;

/**
 * How a phase moves from its start value to its end value as its progress {@code r} goes from 0
 * to 1. Every shape returns exactly {@code start} at {@code r = 0} and is monotone in {@code r}
 * (non-increasing when {@code end <= start}, non-decreasing otherwise), so a phase never leaves
 * the interval between its two values and boundaries join exactly.
 *
 * <p>For the affine shapes the published formula is a decay factor {@code f(r)} with
 * {@code f(0) = 1, f(1) = 0} and {@code value(r) = end + (start - end) * f(r)}. We evaluate it as
 * {@code start + (end - start) * (1 - f(r))} with {@code 1 - f(r)} written out exactly (e.g.
 * {@code r} for linear, not {@code 1 - (1 - r)}): the two are equal in real arithmetic, but this
 * form gives exactly {@code start} at {@code r = 0}, {@code peak * r} for a linear warmup from 0,
 * and stays monotone under IEEE rounding (a fixed factor times a monotone term, plus a constant).
 * The result is clamped to {@code [min(start, end), max(start, end)]} so that rounding can never
 * overshoot the end value by an ulp.
 */
public enum Shape {

    /** {@code f(r) = 1}: the value does not move. Only valid when {@code start == end}. */
    CONSTANT("constant") {
        @Override
        double raw(double start, double end, double r) {
            return start;
        }
    },

    /** Linear: {@code f(r) = 1 - r}. Also the warmup and rewarm shape (then going up). */
    LINEAR("linear") {
        @Override
        double raw(double start, double end, double r) {
            return start + (end - start) * r;
        }
    },

    /** Cosine (Loshchilov and Hutter): {@code f(r) = (1 + cos(pi r)) / 2}. */
    COSINE("cosine") {
        @Override
        double raw(double start, double end, double r) {
            return start + (end - start) * ((1 - Math.cos(Math.PI * r)) / 2);
        }
    },

    /** 1-sqrt (Hägele et al. 2024, the WSD cooldown): {@code f(r) = 1 - sqrt(r)}. */
    ONE_MINUS_SQRT("1-sqrt") {
        @Override
        double raw(double start, double end, double r) {
            return start + (end - start) * Math.sqrt(r);
        }
    },

    /**
     * Exponential to a floor: geometric interpolation {@code start * (end / start)^r}, i.e. the
     * value falls by the same factor every step. Needs {@code start > 0} and {@code end > 0}:
     * a geometric path cannot reach 0, so an end of 0 is rejected rather than silently replaced
     * by a made-up positive floor; decay to 0 with {@link #ONE_MINUS_SQRT} or {@link #LINEAR}.
     */
    EXPONENTIAL("exp") {
        @Override
        double raw(double start, double end, double r) {
            return start * Math.pow(end / start, r);
        }
    },

    /**
     * Inverse square root, in the "timescale" form {@code start * sqrt(w / (w + t))} (t steps into
     * the phase; Zhai et al. 2022 "rsqrt"), written in progress as
     * {@code start / sqrt(1 + k r)} with {@code k = (start / end)^2 - 1}, which is the timescale
     * form with {@code w = length / k}. The timescale is chosen so that the curve lands exactly
     * on {@code end} at {@code r = 1}, which lets it compose like every other shape. Needs
     * {@code start > 0} and {@code end > 0} (at {@code end = 0} the timescale would be 0, an
     * instant drop).
     */
    INVERSE_SQRT("rsqrt") {
        @Override
        double raw(double start, double end, double r) {
            double k = (start / end) * (start / end) - 1;
            return start / Math.sqrt(1 + k * r);
        }
    };

    private final String label;

    Shape(String label) {
        this.label = label;
    }

    /** The short name used in {@code toString()} and telemetry, e.g. {@code "1-sqrt"}. */
    public String label() {
        return label;
    }

    /** Whether this shape needs both its start and its end value to be strictly positive. */
    public boolean needsPositiveValues() {
        return this == EXPONENTIAL || this == INVERSE_SQRT;
    }

    /**
     * The value at progress {@code r} of a phase going from {@code start} to {@code end}.
     *
     * @param r progress through the phase, in {@code [0, 1]}
     * @return exactly {@code start} at {@code r = 0}; otherwise a value between start and end
     */
    public double value(double start, double end, double r) {
        if (r <= 0) {
            return start; // exact, whatever rounding the formula would do
        }
        double v = raw(start, end, Math.min(r, 1.0));
        return Math.max(Math.min(start, end), Math.min(Math.max(start, end), v));
    }

    abstract double raw(double start, double end, double r);

    @Override
    public String toString() {
        return label;
    }
}
