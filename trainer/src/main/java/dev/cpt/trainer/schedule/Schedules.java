package dev.cpt.trainer.schedule;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigException;
import dev.cpt.core.config.TrainerSettings;

/** The main run's schedule as configured ({@code cpt.trainer.schedule*}, {@code cpt.trainer.lr.peak}, {@code cpt.trainer.warmup.steps}). */
public final class Schedules {

    private Schedules() {
    }

    /** @throws ConfigException when the settings do not make a valid schedule, with the schedule's own reason */
    public static Schedule from(Config config) {
        double peak = config.get(TrainerSettings.LR_PEAK);
        long warmup = config.get(TrainerSettings.WARMUP_STEPS);
        try {
            return switch (config.get(TrainerSettings.SCHEDULE)) {
                case WSD -> Schedule.wsd(peak, warmup);
                case INFINITE -> Schedule.infinite(peak, warmup, config.get(TrainerSettings.COOLDOWN_STEPS),
                        shape(config.get(TrainerSettings.COOLDOWN_SHAPE)), config.get(TrainerSettings.CONSTANT_FRACTION));
                case WSDC -> Schedule.wsdc(peak, warmup, config.get(TrainerSettings.COOLDOWN_STEPS),
                        shape(config.get(TrainerSettings.COOLDOWN_SHAPE)), config.get(TrainerSettings.LR_FLOOR));
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigException("the cpt.trainer.schedule settings do not make a schedule: " + e.getMessage());
        }
    }

    public static Shape shape(TrainerSettings.DecayShape s) {
        return switch (s) {
            case LINEAR -> Shape.LINEAR;
            case COSINE -> Shape.COSINE;
            case ONE_MINUS_SQRT -> Shape.ONE_MINUS_SQRT;
            case EXPONENTIAL -> Shape.EXPONENTIAL;
            case INVERSE_SQRT -> Shape.INVERSE_SQRT;
        };
    }
}
