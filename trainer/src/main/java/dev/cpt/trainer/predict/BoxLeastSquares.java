package dev.cpt.trainer.predict;

/**
 * Exact minimiser of a small convex quadratic {@code p' G p - 2 b' p} over a box
 * {@code lo <= p <= hi}, by trying every face of the box: each variable free, at its lower bound
 * or at its upper bound (when finite). The constrained minimiser is the unconstrained minimiser
 * of the face whose relative interior contains it, so the best feasible face solution is the
 * answer. A face whose system is singular is skipped: a minimiser there also lies on a smaller
 * face (a line of minimisers cannot stay in a box that is bounded below in every variable).
 * With three variables that is at most 27 systems of size at most 3, cheaper and simpler than
 * an active-set method and without its cycling or tolerance questions.
 */
final class BoxLeastSquares {

    /** A pivot below this, on the unit-diagonal scaled system, means the face is singular. */
    private static final double SINGULAR = 1e-14;

    private BoxLeastSquares() {
    }

    /**
     * @param g  symmetric positive semi-definite {@code n x n} matrix ({@code n <= 3} in practice)
     * @param b  right-hand side
     * @param lo finite lower bounds
     * @param hi upper bounds, {@code >= lo}, possibly infinite; {@code hi == lo} fixes a variable
     * @return the minimiser, or null when no face gave a finite solution (cannot happen when
     *         every bound is finite on some side, as here: the all-fixed corner always solves)
     */
    static double[] solve(double[][] g, double[] b, double[] lo, double[] hi) {
        int n = b.length;
        int faces = 1;
        for (int j = 0; j < n; j++) {
            faces *= 3;
        }
        double[] best = null;
        double bestQ = Double.POSITIVE_INFINITY;
        int[] state = new int[n];
        for (int f = 0; f < faces; f++) {
            if (!decode(f, state, lo, hi)) {
                continue;
            }
            double[] p = solveFace(g, b, lo, hi, state);
            if (p == null) {
                continue;
            }
            double q = 0;
            for (int j = 0; j < n; j++) {
                if (p[j] == 0) {
                    continue; // a variable at 0 adds nothing, even where an entry overflowed to infinity (0 * inf is NaN)
                }
                double gp = 0;
                for (int k = 0; k < n; k++) {
                    gp += p[k] == 0 ? 0 : g[j][k] * p[k];
                }
                q += p[j] * (gp - 2 * b[j]);
            }
            if (q < bestQ) {
                bestQ = q;
                best = p;
            }
        }
        return best;
    }

    /** Face number {@code f} in base 3: 0 free, 1 at {@code lo}, 2 at {@code hi}; false if not a face. */
    private static boolean decode(int f, int[] state, double[] lo, double[] hi) {
        for (int j = 0; j < state.length; j++) {
            state[j] = f % 3;
            f /= 3;
            boolean fixed = hi[j] == lo[j];
            if (state[j] == 2 && (fixed || !Double.isFinite(hi[j]))) {
                return false;
            }
            if (state[j] == 0 && fixed) {
                return false;
            }
        }
        return true;
    }

    private static double[] solveFace(double[][] g, double[] b, double[] lo, double[] hi, int[] state) {
        int n = b.length;
        double[] p = new double[n];
        int[] free = new int[n];
        int m = 0;
        for (int j = 0; j < n; j++) {
            if (state[j] == 0) {
                free[m++] = j;
            } else {
                p[j] = state[j] == 1 ? lo[j] : hi[j];
            }
        }
        if (m == 0) {
            return p;
        }
        // Reduced system on the free variables, scaled to unit diagonal so that the singularity
        // test does not depend on the units of s1 or s2.
        double[][] a = new double[m][m + 1];
        double[] scale = new double[m];
        for (int r = 0; r < m; r++) {
            double d = g[free[r]][free[r]];
            if (!(d > 0) || !Double.isFinite(d)) {
                return null;
            }
            scale[r] = 1 / Math.sqrt(d);
        }
        for (int r = 0; r < m; r++) {
            int jr = free[r];
            double rhs = b[jr];
            for (int k = 0; k < n; k++) {
                if (state[k] != 0 && p[k] != 0) { // as in solve(): a variable at 0 adds nothing
                    rhs -= g[jr][k] * p[k];
                }
            }
            for (int c = 0; c < m; c++) {
                a[r][c] = g[jr][free[c]] * scale[r] * scale[c];
            }
            a[r][m] = rhs * scale[r];
        }
        double[] y = gauss(a, m);
        if (y == null) {
            return null;
        }
        for (int r = 0; r < m; r++) {
            int j = free[r];
            p[j] = y[r] * scale[r];
            if (!(p[j] >= lo[j] && p[j] <= hi[j])) {
                return null;
            }
        }
        return p;
    }

    /** Gaussian elimination with partial pivoting on the augmented {@code m x (m+1)} matrix. */
    private static double[] gauss(double[][] a, int m) {
        for (int col = 0; col < m; col++) {
            int piv = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
                    piv = r;
                }
            }
            if (!(Math.abs(a[piv][col]) > SINGULAR)) {
                return null;
            }
            double[] tmp = a[piv];
            a[piv] = a[col];
            a[col] = tmp;
            for (int r = col + 1; r < m; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c <= m; c++) {
                    a[r][c] -= f * a[col][c];
                }
            }
        }
        double[] y = new double[m];
        for (int r = m - 1; r >= 0; r--) {
            double s = a[r][m];
            for (int c = r + 1; c < m; c++) {
                s -= a[r][c] * y[c];
            }
            y[r] = s / a[r][r];
            if (!Double.isFinite(y[r])) {
                return null;
            }
        }
        return y;
    }
}
