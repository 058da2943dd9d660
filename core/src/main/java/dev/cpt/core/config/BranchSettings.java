package dev.cpt.core.config;

import dev.cpt.core.config.TrainerSettings.DecayShape;

/**
 * Decayed branches: when the trainer forks a learning-rate decay off the main run, what the decay
 * looks like, and what happens to the result (DESIGN.md, docs/branches.md).
 */
public final class BranchSettings {

    /** What the main run does with a finished branch. */
    public enum Mode {
        /** The main run continues at its own learning rate, untouched by the branch. */
        WSD,
        /** The main run continues from the branch's decayed weights, then re-warms. */
        WSD_S;

        /** As configuration and manifests write it: {@code wsd}, {@code wsd-s}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public static final Setting<Mode> MODE = Setting.of("cpt.branch.mode", ValueType.enumOf(Mode.class), Mode.WSD,
            "wsd: the main run is untouched by branches; wsd-s: the main run resumes from each branch's decayed weights"
                    + " and re-warms.");

    public static final Setting<Long> EVERY_TOKENS = Setting.of("cpt.branch.every.tokens", ValueType.LONG, 0L,
            "Fork a branch every N fresh tokens the main run trains on; 0 = never by tokens.", Rule.between(0L, 1L << 60));

    public static final Setting<Long> EVERY_MINUTES = Setting.of("cpt.branch.every.minutes", ValueType.LONG, 0L,
            "Fork a branch every N minutes of training (counted from the previous branch); 0 = never by time.",
            Rule.between(0L, 525_600L * 10));

    public static final Setting<DecayShape> DECAY_SHAPE = Setting.of("cpt.branch.decay.shape", ValueType.enumOf(DecayShape.class),
            DecayShape.ONE_MINUS_SQRT, "Shape of a branch's decay from the main run's learning rate at the fork to the floor.");

    public static final Setting<Double> DECAY_FRACTION = Setting.of("cpt.branch.decay.fraction", ValueType.DOUBLE, 0.2,
            "Decay length as a fraction of the tokens the main run trained on since the previous branch (used when"
                    + " cpt.branch.decay.steps is 0).", new Rule<>("greater than 0 and at most 1", v -> v > 0 && v <= 1));

    public static final Setting<Long> DECAY_STEPS = Setting.of("cpt.branch.decay.steps", ValueType.LONG, 0L,
            "Decay length in steps; 0 = cpt.branch.decay.fraction of the tokens since the previous branch.",
            Rule.between(0L, 100_000_000L));

    public static final Setting<Double> DECAY_FLOOR = Setting.of("cpt.branch.decay.floor", ValueType.DOUBLE, 0.0,
            "Learning rate at the end of the decay, as a fraction of the learning rate at the fork (exponential and"
                    + " inverse-sqrt need a floor above 0).", Rule.between(0.0, 1.0));

    public static final Setting<String> DATA = Setting.of("cpt.branch.data", ValueType.STRING, "upcoming",
            "What the decay trains on: upcoming (the data after the fork, read without committing), replay (the replay"
                    + " mix), or mix:stream:weight,... (those streams from the replay reservoir, in those proportions).",
            Rule.matches("upcoming|replay|mix:[a-z0-9][a-z0-9._-]{0,63}:[0-9]+(\\.[0-9]+)?(,[a-z0-9][a-z0-9._-]{0,63}:[0-9]+(\\.[0-9]+)?)*",
                    "upcoming, replay, or mix: followed by stream:weight pairs separated by commas"));

    public static final Setting<Integer> QUEUE_CAPACITY = Setting.of("cpt.branch.queue.capacity", ValueType.INT, 4,
            "Branch requests waiting while a branch runs; a request beyond this is refused (and counted).",
            Rule.between(1, 1000));

    public static final Setting<Integer> KEEP = Setting.of("cpt.branch.keep", ValueType.INT, 5,
            "Decayed branches kept in the store (plus pinned and aliased ones, which are never deleted).",
            Rule.between(1, 100_000));

    public static final Setting<Long> REWARM_STEPS = Setting.of("cpt.branch.rewarm.steps", ValueType.LONG, 100L,
            "wsd-s: steps over which the main run re-warms from the branch's final learning rate to its own.",
            Rule.between(0L, 100_000_000L));

    private BranchSettings() {
    }
}
