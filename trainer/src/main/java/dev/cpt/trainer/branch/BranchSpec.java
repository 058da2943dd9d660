package dev.cpt.trainer.branch;

import dev.cpt.core.config.BranchSettings;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigException;
import dev.cpt.core.config.TrainerSettings;
import dev.cpt.core.format.BranchRequest;
import dev.cpt.trainer.schedule.Schedules;
import dev.cpt.trainer.schedule.Shape;

import java.util.Locale;

/**
 * How one branch decays: shape, length, floor and data. A request fills in what it names and
 * takes the configured defaults for the rest.
 *
 * @param shape decay shape from the main run's learning rate at the fork to the floor
 * @param steps decay length in steps; 0 = {@code fraction} of the steps since the previous branch
 * @param fraction decay length as a fraction of the main-run steps since the previous branch, in (0, 1]
 * @param floor end learning rate as a fraction of the learning rate at the fork, in [0, 1]
 * @param data what the decay trains on
 */
public record BranchSpec(Shape shape, long steps, double fraction, double floor, BranchData data) {

    public BranchSpec {
        if (shape == Shape.CONSTANT) {
            throw new IllegalArgumentException("decay shape constant does not decay; use one of " + SHAPES);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("decay steps must be >= 0 (0 = use the fraction), got " + steps);
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("decay fraction must be in (0, 1], got " + fraction);
        }
        if (!(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException("decay floor must be in [0, 1] (a fraction of the learning rate at the fork), got "
                    + floor);
        }
        if (shape.needsPositiveValues() && floor == 0) {
            // the parameter, not shapeWord(): in a compact constructor the fields are not assigned yet
            throw new IllegalArgumentException("decay shape " + word(shape) + " needs a floor above 0");
        }
    }

    static final String SHAPES = "linear, cosine, one-minus-sqrt, exponential, inverse-sqrt";

    /** The configured defaults ({@code cpt.branch.*}). */
    public static BranchSpec from(Config config) {
        try {
            return new BranchSpec(Schedules.shape(config.get(BranchSettings.DECAY_SHAPE)), config.get(BranchSettings.DECAY_STEPS),
                    config.get(BranchSettings.DECAY_FRACTION), config.get(BranchSettings.DECAY_FLOOR),
                    BranchData.parse(config.get(BranchSettings.DATA)));
        } catch (IllegalArgumentException e) {
            // each value passed its own rule; the combination did not (e.g. an exponential decay to a floor of 0)
            throw new ConfigException("cpt.branch.* settings do not fit together: " + e.getMessage());
        }
    }

    /**
     * This spec with what {@code request} names. A request that gives a fraction but no steps means
     * the fraction, even when the defaults fix a number of steps.
     *
     * @throws IllegalArgumentException naming the field, the value and what is allowed
     */
    public BranchSpec with(BranchRequest request) {
        Shape s = shape;
        if (request.shape() != null) {
            TrainerSettings.DecayShape d;
            try {
                d = TrainerSettings.DecayShape.valueOf(request.shape().strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("shape '" + request.shape() + "' is not one of " + SHAPES);
            }
            s = Schedules.shape(d);
        }
        long st = request.steps() != null ? request.steps() : request.fraction() != null ? 0 : steps;
        double fr = request.fraction() != null ? request.fraction() : fraction;
        double fl = request.floor() != null ? request.floor() : floor;
        BranchData da = request.data() != null ? BranchData.parse(request.data()) : data;
        return new BranchSpec(s, st, fr, fl, da);
    }

    /**
     * Decay steps for a fork {@code stepsSincePrevious} main-run steps after the previous branch
     * (or the start): {@link #steps()} when set, else {@code fraction} of them, at least 1. Every step
     * trains on the same number of tokens, so a fraction of the steps is that fraction of the tokens.
     */
    public long decaySteps(long stepsSincePrevious) {
        return steps > 0 ? steps : Math.max(1, Math.round(fraction * stepsSincePrevious));
    }

    /** The shape as configuration words name it, e.g. {@code one-minus-sqrt}. */
    public String shapeWord() {
        return word(shape);
    }

    private static String word(Shape shape) {
        return shape.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** For logs: {@code one-minus-sqrt over 20% to 0.0 on upcoming}. */
    public String describe() {
        return shapeWord() + " over " + (steps > 0 ? steps + " steps" : Math.round(fraction * 100) + "%") + " to "
                + floor + " on " + data.word();
    }
}
