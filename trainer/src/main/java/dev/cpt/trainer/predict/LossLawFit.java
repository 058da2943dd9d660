package dev.cpt.trainer.predict;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fits {@link LossLaw} to observations by least squares on log loss: minimises
 * {@code sum (ln L_obs - ln L_pred)^2} subject to {@code L_pred > 0} at every observation,
 * {@code a >= 0}, {@code c >= 0}, {@code 0 < alpha <= 3} and {@code 0 <= l0 < min L_obs}.
 * Log loss because what matters is relative error, and because it keeps the few decayed-branch
 * points from being outweighed by the many high-loss points early in the main run.
 *
 * <p>Method (variable projection): for a fixed {@code alpha} the law is linear in
 * {@code (l0, a, c)} and {@link FixedAlphaFit} solves that inner problem by constrained
 * Gauss–Newton; the outer problem is one-dimensional, so we scan a log-spaced grid of
 * {@code alpha} (robust to the several local minima a power law with an offset can have) and
 * refine the best grid cell by golden-section search. Deterministic (no randomness, a fixed
 * evaluation order: the same input gives the identical fit) and fast: about 120 inner solves,
 * a few milliseconds for 200 points.
 *
 * <p>Identifiability: {@code c} is only visible in points with annealing ({@code s2 > 0}). With
 * none, the fit keeps {@code c = 0} and says so with {@link Fit#annealingSeen()} false; the caller
 * must then not use the law to predict a decayed branch.
 */
public final class LossLawFit {

    /** Largest exponent allowed; the paper's fits are well below 1. */
    public static final double MAX_ALPHA = 3;
    /** {@code s2} above which a point counts as annealed, i.e. as information about {@code c}. */
    public static final double ANNEALING_EPSILON = 1e-12;

    /** Smallest exponent scanned: below it the power law is a logarithm for all practical purposes. */
    private static final double MIN_ALPHA = 1e-3;
    private static final int GRID = 64;
    private static final int MAX_GOLDEN = 100;
    private static final double INV_PHI = (Math.sqrt(5) - 1) / 2;
    /** {@code l0} must stay strictly below the smallest loss; this is how far below, relatively. */
    private static final double L0_MARGIN = 1e-9;

    private LossLawFit() {
    }

    /**
     * A fitted law and how well it fits.
     *
     * @param law            the fitted law
     * @param rmsLogError    {@code sqrt(mean (ln L_obs - ln L_pred)^2)}, roughly the typical
     *                       relative error, {@code >= 0}
     * @param points         number of observations fitted, {@code >= 4}
     * @param annealingSeen  whether some observation had {@code s2 > ANNEALING_EPSILON}; when
     *                       false, {@code c} was fixed at 0 and the law says nothing about decay
     */
    public record Fit(LossLaw law, double rmsLogError, int points, boolean annealingSeen) {

        /** Checks {@code law} is present, {@code rmsLogError >= 0} and finite, {@code points >= 1}. */
        public Fit {
            if (law == null) {
                throw new IllegalArgumentException("law must not be null");
            }
            if (!(rmsLogError >= 0) || !Double.isFinite(rmsLogError)) {
                throw new IllegalArgumentException("rmsLogError must be >= 0 and finite, got " + rmsLogError);
            }
            if (points < 1) {
                throw new IllegalArgumentException("points must be >= 1, got " + points);
            }
        }
    }

    /**
     * Fits the law to {@code points}.
     *
     * @param points the observations, in any order (the order does not change what is fitted,
     *               only rounding)
     * @return the best fit found, or empty when the data cannot determine a curve: fewer than 4
     *         points, fewer than 3 distinct {@code s1} values, or (for extreme inputs such as
     *         {@code s1} so small that {@code s1^(-alpha)} overflows everywhere) no finite fit.
     *         Never throws for well-formed data.
     * @throws IllegalArgumentException if {@code points} or one of its elements is null
     */
    public static Optional<Fit> fit(List<Observation> points) {
        if (points == null) {
            throw new IllegalArgumentException("points must not be null");
        }
        int n = points.size();
        double[] s1 = new double[n];
        double[] s2 = new double[n];
        double[] loss = new double[n];
        Set<Double> distinct = new HashSet<>();
        double minLoss = Double.POSITIVE_INFINITY;
        boolean annealing = false;
        for (int i = 0; i < n; i++) {
            Observation o = points.get(i);
            if (o == null) {
                throw new IllegalArgumentException("points[" + i + "] must not be null");
            }
            s1[i] = o.s1();
            s2[i] = o.s2();
            loss[i] = o.loss();
            distinct.add(o.s1());
            minLoss = Math.min(minLoss, o.loss());
            annealing |= o.s2() > ANNEALING_EPSILON;
        }
        if (n < 4 || distinct.size() < 3) {
            return Optional.empty();
        }
        Profile profile = new Profile(s1, s2, loss, minLoss * (1 - L0_MARGIN), annealing);
        Candidate best = profile.search();
        if (best == null) {
            return Optional.empty();
        }
        LossLaw law = new LossLaw(best.inner.l0(), best.inner.a(), best.alpha, best.inner.c());
        return Optional.of(new Fit(law, Math.sqrt(best.inner.cost() / n), n, annealing));
    }

    private record Candidate(double alpha, FixedAlphaFit.Result inner) {
    }

    /** The cost profile over {@code alpha}: each value the minimum over {@code (l0, a, c)}. */
    private static final class Profile {
        private final double[] s1;
        private final double[] s2;
        private final double[] loss;
        private final double l0Max;
        private final boolean withC;
        private Candidate best;

        Profile(double[] s1, double[] s2, double[] loss, double l0Max, boolean withC) {
            this.s1 = s1;
            this.s2 = s2;
            this.loss = loss;
            this.l0Max = l0Max;
            this.withC = withC;
        }

        Candidate search() {
            double ratio = Math.pow(MAX_ALPHA / MIN_ALPHA, 1.0 / (GRID - 1));
            double[] grid = new double[GRID];
            int bestIndex = -1;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int k = 0; k < GRID; k++) {
                // The last point exactly at the bound, not at a power that rounds past it.
                grid[k] = k == GRID - 1 ? MAX_ALPHA : MIN_ALPHA * Math.pow(ratio, k);
                double c = cost(grid[k]);
                if (c < bestCost) {
                    bestCost = c;
                    bestIndex = k;
                }
            }
            if (bestIndex < 0) {
                return null;
            }
            double lo = grid[Math.max(bestIndex - 1, 0)];
            double hi = grid[Math.min(bestIndex + 1, GRID - 1)];
            golden(lo, hi);
            return best;
        }

        /** Golden-section search on {@code [lo, hi]}; every evaluation updates {@link #best}. */
        private void golden(double lo, double hi) {
            double x1 = hi - INV_PHI * (hi - lo);
            double x2 = lo + INV_PHI * (hi - lo);
            double f1 = cost(x1);
            double f2 = cost(x2);
            for (int it = 0; it < MAX_GOLDEN && hi - lo > 1e-10 * hi; it++) {
                if (f1 <= f2) {
                    hi = x2;
                    x2 = x1;
                    f2 = f1;
                    x1 = hi - INV_PHI * (hi - lo);
                    f1 = cost(x1);
                } else {
                    lo = x1;
                    x1 = x2;
                    f1 = f2;
                    x2 = lo + INV_PHI * (hi - lo);
                    f2 = cost(x2);
                }
            }
        }

        /** The profile cost at {@code alpha}, infinite when the powers overflow or the fit fails. */
        private double cost(double alpha) {
            double[] x = new double[s1.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.pow(s1[i], -alpha);
                if (!Double.isFinite(x[i])) {
                    return Double.POSITIVE_INFINITY;
                }
            }
            FixedAlphaFit.Result r = new FixedAlphaFit(x, s2, loss, l0Max, withC).solve();
            if (!Double.isFinite(r.cost()) || !Double.isFinite(r.a()) || !Double.isFinite(r.c())) {
                return Double.POSITIVE_INFINITY;
            }
            // Ties keep the earlier candidate, so the result depends only on the input.
            if (best == null || r.cost() < best.inner.cost()) {
                best = new Candidate(alpha, r);
            }
            return r.cost();
        }
    }
}
