package dev.cpt.trainer.predict;

/**
 * The inner problem of {@link LossLawFit}: for a fixed {@code alpha}, the law
 * {@code P_i = l0 + a * x_i - c * s2_i} (with {@code x_i = s1_i^(-alpha)}) is linear in
 * {@code (l0, a, c)}, and only the log makes the fit nonlinear. So we run Gauss–Newton on
 * {@code sum (ln L_i - ln P_i)^2}: linearising {@code ln P} around the current {@code P} turns
 * each step into a weighted linear least-squares problem (weights {@code 1 / P_i}), which we solve
 * exactly under the box constraints by trying every face of the box (at most 12 tiny systems).
 * A step is halved until it keeps every {@code P_i > 0} and lowers the cost, so the cost never
 * goes up and the iteration cannot leave the feasible set. Deterministic: no randomness, a fixed
 * order of operations.
 */
final class FixedAlphaFit {

    /** Gauss–Newton converges in a handful of steps here; this only bounds pathological cases. */
    private static final int MAX_ITERATIONS = 100;
    private static final int MAX_HALVINGS = 40;
    /** Relative cost decrease below which another step is not worth its time. */
    private static final double STALL = 1e-13;

    private final double[] x;
    private final double[] s2;
    private final double[] loss;
    private final double[] logLoss;
    private final double l0Max;
    private final boolean withC;

    /** Result: the parameters and {@code sum (ln L_i - ln P_i)^2}. */
    record Result(double l0, double a, double c, double cost) {
    }

    /**
     * @param x       {@code s1_i^(-alpha)}, finite and {@code > 0}
     * @param s2      annealing areas
     * @param loss    observed losses, {@code > 0}
     * @param l0Max   upper bound of {@code l0}, {@code > 0}
     * @param withC   whether {@code c} is free; when false it stays 0 (data without annealing
     *                cannot identify it)
     */
    FixedAlphaFit(double[] x, double[] s2, double[] loss, double l0Max, boolean withC) {
        this.x = x;
        this.s2 = s2;
        this.loss = loss;
        this.l0Max = l0Max;
        this.withC = withC;
        this.logLoss = new double[loss.length];
        for (int i = 0; i < loss.length; i++) {
            logLoss[i] = Math.log(loss[i]);
        }
    }

    Result solve() {
        // First step: linearise around P = L, i.e. least squares on relative errors. If that
        // already overshoots to a non-positive prediction, start from a flat law instead.
        double[] p = step(loss);
        double cost = p == null ? Double.POSITIVE_INFINITY : cost(p);
        if (!(cost < Double.POSITIVE_INFINITY)) {
            p = new double[] {l0Max / 2, 0, 0};
            cost = cost(p);
        }
        double[] pred = new double[loss.length];
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            predict(p, pred);
            double[] target = step(pred);
            if (target == null) {
                break;
            }
            double[] trial = new double[3];
            double trialCost = Double.POSITIVE_INFINITY;
            double t = 1;
            for (int h = 0; h < MAX_HALVINGS; h++, t /= 2) {
                for (int j = 0; j < 3; j++) {
                    trial[j] = p[j] + t * (target[j] - p[j]);
                }
                clamp(trial);
                trialCost = cost(trial);
                if (trialCost < cost) {
                    break;
                }
            }
            if (!(trialCost < cost)) {
                break;
            }
            boolean stalled = cost - trialCost <= STALL * cost;
            p = trial;
            cost = trialCost;
            if (stalled) {
                break;
            }
        }
        return new Result(p[0], p[1], p[2], cost);
    }

    /**
     * The Gauss–Newton target from predictions {@code pred}: minimise
     * {@code sum ((z_i - Q_i) / P_i)^2} over the box, where {@code Q} is the law at the new
     * parameters and {@code z_i = P_i (1 + ln(L_i / P_i))} (first-order expansion of
     * {@code ln Q_i} around {@code P_i}). Null if no face gives a solution.
     */
    private double[] step(double[] pred) {
        double[][] g = new double[3][3];
        double[] b = new double[3];
        double[] row = new double[3];
        for (int i = 0; i < pred.length; i++) {
            double w = 1 / pred[i];
            double z = pred[i] * (1 + (logLoss[i] - Math.log(pred[i])));
            row[0] = w;
            row[1] = w * x[i];
            row[2] = -w * s2[i];
            for (int j = 0; j < 3; j++) {
                b[j] += row[j] * w * z;
                for (int k = 0; k < 3; k++) {
                    g[j][k] += row[j] * row[k];
                }
            }
        }
        return BoxLeastSquares.solve(g, b, new double[] {0, 0, 0},
                new double[] {l0Max, Double.POSITIVE_INFINITY, withC ? Double.POSITIVE_INFINITY : 0});
    }

    private void clamp(double[] p) {
        p[0] = Math.min(Math.max(p[0], 0), l0Max);
        p[1] = Math.max(p[1], 0);
        p[2] = withC ? Math.max(p[2], 0) : 0;
    }

    private void predict(double[] p, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = p[0] + p[1] * x[i] - p[2] * s2[i];
        }
    }

    /** {@code sum (ln L_i - ln P_i)^2}, or infinity when some {@code P_i <= 0} or is not finite. */
    private double cost(double[] p) {
        double sum = 0;
        for (int i = 0; i < loss.length; i++) {
            double pred = p[0] + p[1] * x[i] - p[2] * s2[i];
            if (!(pred > 0) || !Double.isFinite(pred)) {
                return Double.POSITIVE_INFINITY;
            }
            double r = logLoss[i] - Math.log(pred);
            sum += r * r;
        }
        return sum;
    }
}
