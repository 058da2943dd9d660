package dev.cpt.trainer.branch;

import dev.cpt.core.config.BranchSettings;
import dev.cpt.core.config.Config;

import java.util.Optional;

/**
 * When a branch is due without being asked for: every {@code everyTokens} fresh tokens and/or every
 * {@code everyMinutes} minutes since the previous branch (0 turns a trigger off). Pure.
 */
public record BranchTriggers(long everyTokens, long everyMinutes) {

    public BranchTriggers {
        if (everyTokens < 0 || everyMinutes < 0) {
            throw new IllegalArgumentException("branch triggers must be >= 0: tokens " + everyTokens + ", minutes " + everyMinutes);
        }
    }

    public static final BranchTriggers OFF = new BranchTriggers(0, 0);

    public static BranchTriggers from(Config config) {
        return new BranchTriggers(config.get(BranchSettings.EVERY_TOKENS), config.get(BranchSettings.EVERY_MINUTES));
    }

    /**
     * Why a branch is due, or empty.
     *
     * @param freshTokensSince fresh tokens the main run trained on since the previous branch (or the start)
     * @param msSince wall-clock milliseconds since the previous branch (or since training started)
     */
    public Optional<String> due(long freshTokensSince, long msSince) {
        if (everyTokens > 0 && freshTokensSince >= everyTokens) {
            return Optional.of("every " + everyTokens + " tokens");
        }
        if (everyMinutes > 0 && msSince >= everyMinutes * 60_000L) {
            return Optional.of("every " + everyMinutes + " minutes");
        }
        return Optional.empty();
    }
}
