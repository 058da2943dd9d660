package dev.cpt.trainer.predict;

/**
 * The loss-curve law with learning-rate annealing (Tissue et al. 2024):
 * {@code L = l0 + a * S1^(-alpha) - c * S2}, where {@code S1} and {@code S2} are the forward
 * and annealing areas of {@link LrIntegrals}. The power-law term is what constant-rate training
 * buys; the {@code c * S2} term is the extra drop that annealing buys (and a rewarm gives back).
 *
 * @param l0    irreducible loss, {@code >= 0}
 * @param a     scale of the power-law term, {@code >= 0}
 * @param alpha exponent of the power-law term, {@code > 0}
 * @param c     gain per unit of annealing area, {@code >= 0}
 */
public record LossLaw(double l0, double a, double alpha, double c) {

    /** Checks that every parameter is finite and within the range stated on the record. */
    public LossLaw {
        if (!(l0 >= 0) || !Double.isFinite(l0)) {
            throw new IllegalArgumentException("l0 must be >= 0 and finite, got " + l0);
        }
        if (!(a >= 0) || !Double.isFinite(a)) {
            throw new IllegalArgumentException("a must be >= 0 and finite, got " + a);
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be > 0 and finite, got " + alpha);
        }
        if (!(c >= 0) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("c must be >= 0 and finite, got " + c);
        }
    }

    /**
     * The law's loss at the given areas. Not clamped: far outside the fitted range (a huge
     * {@code s2}) the value can fall below {@code l0} or even 0, which says the law is being
     * extrapolated, not that such a loss is expected.
     *
     * @param s1 forward area, {@code > 0} and finite (at {@code S1 = 0} the power law is infinite)
     * @param s2 annealing area, finite
     * @throws IllegalArgumentException if {@code s1} or {@code s2} is out of range
     */
    public double predict(double s1, double s2) {
        if (!(s1 > 0) || !Double.isFinite(s1)) {
            throw new IllegalArgumentException("s1 must be > 0 and finite, got " + s1);
        }
        if (!Double.isFinite(s2)) {
            throw new IllegalArgumentException("s2 must be finite, got " + s2);
        }
        return l0 + a * Math.pow(s1, -alpha) - c * s2;
    }

    /**
     * The law's loss after the steps accumulated in {@code at}.
     *
     * @throws IllegalArgumentException if {@code at.s1()} is 0 (no step, or only steps at rate 0)
     */
    public double predict(LrIntegrals at) {
        if (at == null) {
            throw new IllegalArgumentException("at must not be null");
        }
        return predict(at.s1(), at.s2());
    }
}
