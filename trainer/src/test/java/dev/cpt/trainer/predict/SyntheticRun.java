package dev.cpt.trainer.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic WSD run for the fit tests, with losses drawn from a known {@link LossLaw}: warmup
 * excluded (the integrals start at the first stable step, as in the trainer), a main run at a
 * constant learning rate observed every {@code every} steps, and decay branches that fork from it
 * and decay 1-sqrt ({@code lr * (1 - sqrt(r))}) to 0 over 20% of the steps taken so far, observed
 * once at their end.
 */
final class SyntheticRun {

    static final double LR = 1e-3;

    private SyntheticRun() {
    }

    /** The integrals of the main run after {@code step} stable steps (one O(1) advance). */
    static LrIntegrals main(long step) {
        return LrIntegrals.start().advance(LR, step);
    }

    /**
     * The integrals at the end of a branch forked at {@code fork}: {@code fork / 5} steps with
     * {@code lr_k = LR * (1 - sqrt(k / D))}, {@code k = 1..D}, the last one exactly 0.
     */
    static LrIntegrals branchEnd(long fork) {
        long d = fork / 5;
        LrIntegrals at = main(fork);
        for (long k = 1; k <= d; k++) {
            at = at.advance(LR * (1 - Math.sqrt((double) k / d)));
        }
        return at;
    }

    /** Main-run observations at {@code every, 2 every, .., steps}. */
    static List<Observation> mainObservations(LossLaw law, long steps, long every, Noise noise) {
        List<Observation> out = new ArrayList<>();
        for (long s = every; s <= steps; s += every) {
            out.add(observe(law, main(s), noise));
        }
        return out;
    }

    static Observation branchObservation(LossLaw law, long fork, Noise noise) {
        return observe(law, branchEnd(fork), noise);
    }

    private static Observation observe(LossLaw law, LrIntegrals at, Noise noise) {
        return Observation.at(at, law.predict(at) * noise.factor());
    }

    /** Multiplicative noise {@code 1 + sigma * N(0, 1)} from a seeded generator; sigma 0 is none. */
    static final class Noise {
        private final Random random;
        private final double sigma;

        private Noise(long seed, double sigma) {
            this.random = new Random(seed);
            this.sigma = sigma;
        }

        static Noise none() {
            return new Noise(0, 0);
        }

        static Noise relative(double sigma, long seed) {
            return new Noise(seed, sigma);
        }

        double factor() {
            return sigma == 0 ? 1 : 1 + sigma * random.nextGaussian();
        }
    }
}
