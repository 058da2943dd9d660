package dev.cpt.trainer.replay;

/**
 * Pearson's chi-square statistic and its upper-tail p-value, computed here rather than taken from
 * a statistics library: the regularized upper incomplete gamma Q(df/2, x/2) by series or continued
 * fraction (Numerical Recipes, 6.2), with a Lanczos log-gamma.
 */
final class ChiSquare {

    private ChiSquare() {
    }

    /** Sum of (observed - expected)^2 / variance over the cells. */
    static double statistic(long[] observed, double[] expected, double[] variance) {
        double x = 0;
        for (int i = 0; i < observed.length; i++) {
            double d = observed[i] - expected[i];
            x += d * d / variance[i];
        }
        return x;
    }

    /** Pearson's statistic with multinomial cells: variance = expected. */
    static double statistic(long[] observed, double[] expected) {
        return statistic(observed, expected, expected);
    }

    /** P(X >= x) for X chi-square distributed with {@code df} degrees of freedom. */
    static double pValue(double x, int df) {
        double a = df / 2.0;
        double z = x / 2.0;
        if (z <= 0) {
            return 1;
        }
        if (z < a + 1) { // series for P converges fast here
            double sum = 1 / a;
            double term = sum;
            for (int n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
                term *= z / (a + n);
                sum += term;
            }
            return 1 - sum * Math.exp(-z + a * Math.log(z) - lnGamma(a));
        }
        double b = z + 1 - a; // Lentz's continued fraction for Q
        double c = 1 / 1e-300;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < 1e-300 ? 1e-300 : d;
            c = b + an / c;
            c = Math.abs(c) < 1e-300 ? 1e-300 : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return Math.exp(-z + a * Math.log(z) - lnGamma(a)) * h;
    }

    static double lnGamma(double x) {
        double[] g = {76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155,
                0.1208650973866179e-2, -0.5395239384953e-5};
        double y = x;
        double tmp = x + 5.5;
        tmp -= (x + 0.5) * Math.log(tmp);
        double ser = 1.000000000190015;
        for (double c : g) {
            ser += c / ++y;
        }
        return -tmp + Math.log(2.5066282746310005 * ser / x);
    }
}
