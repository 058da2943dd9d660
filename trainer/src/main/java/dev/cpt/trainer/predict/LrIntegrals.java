package dev.cpt.trainer.predict;

/**
 * The two learning-rate areas of the loss-curve law (Tissue et al. 2024) after {@code steps}
 * updates with learning rates {@code lr_1 .. lr_s}:
 * <ul>
 *   <li>{@code S1 = sum lr_i}, the forward area;</li>
 *   <li>{@code S2 = sum m_i} with {@code m_i = LAMBDA * m_(i-1) + (lr_(i-1) - lr_i)},
 *       {@code m_0 = 0} and {@code lr_0 = lr_1}: the annealing area, a momentum-smoothed sum of
 *       the learning-rate decreases (the paper's finding is that loss responds to a drop with a
 *       delay, which the momentum models).</li>
 * </ul>
 * An immutable value: {@link #advance(double)} returns the next one.
 *
 * <p>Where to start is the caller's choice and matters: the trainer starts from {@link #start()}
 * at the end of warmup, because warmup's rising learning rate would count as negative annealing
 * and make {@code S2} negative for a run that never decayed. A later rewarm, on the other hand,
 * does count, as negative annealing (its increases enter {@code m} with a minus sign), as in the
 * paper; that is why {@code momentum} and {@code s2} may be negative.
 *
 * @param s1         forward area, {@code >= 0}
 * @param s2         annealing area, finite (negative after a rewarm)
 * @param momentum   {@code m_s}, finite
 * @param previousLr {@code lr_s}, the learning rate of the last step (0 before the first step,
 *                   where it is not used)
 * @param steps      number of steps accumulated, {@code >= 0}
 */
public record LrIntegrals(double s1, double s2, double momentum, double previousLr, long steps) {

    /** The momentum decay of {@code S2}; the paper's value, which it found to fit across runs. */
    public static final double LAMBDA = 0.999;

    /** {@code ln(LAMBDA)}, for closed forms over constant stretches. */
    private static final double LOG_LAMBDA = Math.log(LAMBDA);

    /** Checks that every field is finite, and that {@code s1}, {@code previousLr}, {@code steps} are {@code >= 0}. */
    public LrIntegrals {
        if (!(s1 >= 0) || !Double.isFinite(s1)) {
            throw new IllegalArgumentException("s1 must be >= 0 and finite, got " + s1);
        }
        if (!Double.isFinite(s2)) {
            throw new IllegalArgumentException("s2 must be finite, got " + s2);
        }
        if (!Double.isFinite(momentum)) {
            throw new IllegalArgumentException("momentum must be finite, got " + momentum);
        }
        checkLr(previousLr, "previousLr");
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
    }

    /** No steps yet: both areas and the momentum are 0. */
    public static LrIntegrals start() {
        return new LrIntegrals(0, 0, 0, 0, 0);
    }

    /**
     * The areas after one more step at {@code lr}. The first step contributes no decrease
     * ({@code lr_0 = lr_1}), so a run that starts at any constant value has {@code S2 = 0}.
     *
     * @param lr the learning rate of the step, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code lr} is negative, NaN or infinite
     */
    public LrIntegrals advance(double lr) {
        checkLr(lr, "lr");
        double drop = steps == 0 ? 0 : previousLr - lr;
        double m = LAMBDA * momentum + drop;
        return new LrIntegrals(s1 + lr, s2 + m, m, lr, nextSteps(1));
    }

    /**
     * The areas after {@code times} more steps all at {@code lr}; equal, up to rounding, to
     * calling {@link #advance(double)} {@code times} times, but in constant time so that a long
     * constant stretch (the main run's stable phase) costs nothing. After the first of these
     * steps the decrease is 0, so the momentum just decays geometrically and its sum has a
     * closed form: {@code m_1 * (LAMBDA + ... + LAMBDA^n) = m_1 * LAMBDA * (1 - LAMBDA^n) / (1 - LAMBDA)}.
     *
     * @param lr    the learning rate of every step, finite and {@code >= 0}
     * @param times number of steps, {@code >= 0}; 0 returns this value
     * @throws IllegalArgumentException if {@code lr} is negative, NaN or infinite, or {@code times < 0}
     */
    public LrIntegrals advance(double lr, long times) {
        checkLr(lr, "lr");
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0, got " + times);
        }
        if (times == 0) {
            return this;
        }
        LrIntegrals first = advance(lr);
        long rest = times - 1;
        if (rest == 0) {
            return first;
        }
        // 1 - LAMBDA^n through expm1, which keeps its precision when LAMBDA^n is close to 1;
        // 1 - LAMBDA itself is exact in binary floating point (Sterbenz).
        double oneMinusPow = -Math.expm1(rest * LOG_LAMBDA);
        double decayed = first.momentum * LAMBDA * oneMinusPow / (1 - LAMBDA);
        double m = first.momentum * Math.exp(rest * LOG_LAMBDA);
        return new LrIntegrals(s1 + lr * times, first.s2 + decayed, m, lr, nextSteps(times));
    }

    private long nextSteps(long more) {
        try {
            return Math.addExact(steps, more);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("steps must stay <= " + Long.MAX_VALUE + ", got " + steps + " + " + more, e);
        }
    }

    private static void checkLr(double lr, String name) {
        if (!(lr >= 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite, got " + lr);
        }
    }
}
