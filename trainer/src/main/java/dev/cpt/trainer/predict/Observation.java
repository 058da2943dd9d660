package dev.cpt.trainer.predict;

/**
 * One measured eval loss and the learning-rate areas at which it was measured: a data point
 * for {@link LossLawFit}.
 *
 * @param s1   forward area, {@code > 0} and finite
 * @param s2   annealing area, finite ({@code ~0} on a constant-rate main run, {@code > 0} at the
 *             end of a decay branch)
 * @param loss the eval loss, {@code > 0} and finite (the fit works on its logarithm)
 */
public record Observation(double s1, double s2, double loss) {

    /** Checks the ranges stated on the record. */
    public Observation {
        if (!(s1 > 0) || !Double.isFinite(s1)) {
            throw new IllegalArgumentException("s1 must be > 0 and finite, got " + s1);
        }
        if (!Double.isFinite(s2)) {
            throw new IllegalArgumentException("s2 must be finite, got " + s2);
        }
        if (!(loss > 0) || !Double.isFinite(loss)) {
            throw new IllegalArgumentException("loss must be > 0 and finite, got " + loss);
        }
    }

    /** The loss {@code loss} measured after the steps accumulated in {@code at}. */
    public static Observation at(LrIntegrals at, double loss) {
        if (at == null) {
            throw new IllegalArgumentException("at must not be null");
        }
        return new Observation(at.s1(), at.s2(), loss);
    }
}
