package dev.cpt.core.config;

import java.time.Duration;

/** The trainer: model, optimizer, schedule, data, replay, evaluation, checkpoints, telemetry. */
public final class TrainerSettings {

    /** Where the trainer runs. */
    public enum Device { AUTO, CPU, GPU }

    public static final Setting<Device> DEVICE = Setting.of("cpt.trainer.device", ValueType.enumOf(Device.class), Device.AUTO,
            "Where to train: auto (a GPU when the engine sees one, else the CPU), cpu, or gpu (fail if there is none).");

    public static final Setting<String> PRESET = Setting.of("cpt.trainer.model.preset", ValueType.STRING, "small",
            "Model size: tiny (tests), small (CPU demo, a few M parameters) or base (~124M, GPU).",
            Rule.matches("tiny|small|base", "one of tiny|small|base"));

    public static final Setting<Long> SEED = Setting.of("cpt.trainer.seed", ValueType.LONG, 1234L,
            "Seed of the initial weights, the replay sampling and every other random choice of the trainer.");

    public static final Setting<Integer> BATCH_SIZE = Setting.of("cpt.trainer.batch.size", ValueType.INT, 16,
            "Sequences per training step (fresh plus replayed).", Rule.between(1, 4096));

    public static final Setting<Integer> THREADS = Setting.of("cpt.trainer.threads", ValueType.INT, 0,
            "CPU threads of the engine's operators; 0 uses every core.", Rule.between(0, 1024));

    public static final Setting<Double> LR_PEAK = Setting.of("cpt.trainer.lr.peak", ValueType.DOUBLE, 1e-3,
            "Peak (stable) learning rate of the main run.", new Rule<>("greater than 0 and at most 1", v -> v > 0 && v <= 1));

    public static final Setting<Long> WARMUP_STEPS = Setting.of("cpt.trainer.warmup.steps", ValueType.LONG, 200L,
            "Linear warmup steps from 0 to the peak learning rate.", Rule.between(0L, 100_000_000L));

    /** The main run's learning-rate schedule. */
    public enum ScheduleKind { WSD, INFINITE, WSDC }

    /** Decay shapes (DESIGN.md). */
    public enum DecayShape { LINEAR, COSINE, ONE_MINUS_SQRT, EXPONENTIAL, INVERSE_SQRT }

    public static final Setting<ScheduleKind> SCHEDULE = Setting.of("cpt.trainer.schedule", ValueType.enumOf(ScheduleKind.class),
            ScheduleKind.WSD, "Main-run schedule: wsd (warmup, then constant forever), infinite (warmup, cooldown to a constant"
                    + " fraction, constant) or wsdc (warmup, decay to the floor, constant).");

    public static final Setting<Long> COOLDOWN_STEPS = Setting.of("cpt.trainer.schedule.cooldown.steps", ValueType.LONG, 2000L,
            "infinite: cooldown steps after warmup; wsdc: decay steps after warmup.", Rule.between(1L, 1L << 40));

    public static final Setting<DecayShape> COOLDOWN_SHAPE = Setting.of("cpt.trainer.schedule.cooldown.shape",
            ValueType.enumOf(DecayShape.class), DecayShape.COSINE, "Shape of the infinite cooldown and the wsdc decay.");

    public static final Setting<Double> CONSTANT_FRACTION = Setting.of("cpt.trainer.schedule.constant.fraction", ValueType.DOUBLE,
            0.5, "infinite: the constant learning rate as a fraction of the peak.", Rule.between(0.0, 1.0));

    public static final Setting<Double> LR_FLOOR = Setting.of("cpt.trainer.schedule.floor", ValueType.DOUBLE, 0.0,
            "wsdc: the floor the decay ends at and stays at (exponential and inverse-sqrt need a floor above 0).",
            Rule.between(0.0, 1.0));

    public static final Setting<Long> REWARM_STEPS = Setting.of("cpt.trainer.rewarm.steps", ValueType.LONG, 0L,
            "When a stream is seen for the first time, re-warm linearly over N steps back to the schedule; 0 = never.",
            Rule.between(0L, 1L << 40));

    public static final Setting<Double> WEIGHT_DECAY = Setting.of("cpt.trainer.weight.decay", ValueType.DOUBLE, 0.1,
            "AdamW decoupled weight decay, applied to weight matrices only.", Rule.between(0.0, 1.0));

    public static final Setting<Double> GRAD_CLIP = Setting.of("cpt.trainer.grad.clip", ValueType.DOUBLE, 1.0,
            "Global gradient-norm clipping threshold; 0 disables clipping.", Rule.between(0.0, 1e6));

    public static final Setting<Double> REPLAY_RATIO = Setting.of("cpt.trainer.replay.ratio", ValueType.DOUBLE, 0.05,
            "Fraction of each batch drawn from the replay buffer instead of fresh data (replaces, does not add).",
            Rule.between(0.0, 1.0));

    public static final Setting<Long> REPLAY_BYTES = Setting.of("cpt.trainer.replay.bytes", ValueType.LONG, 64L << 20,
            "Replay reservoir capacity per stream, in bytes on disk.", Rule.between(0L, 1L << 40));

    public static final Setting<String> REPLAY_WEIGHTS = Setting.of("cpt.trainer.replay.weights", ValueType.STRING, "",
            "Mixing weights of the replayed streams, e.g. 'news:3,code:1' (unlisted streams are not replayed); empty = in"
                    + " proportion to what each stream holds.",
            Rule.matches("|[a-z0-9][a-z0-9._-]{0,63}:[0-9]+(\\.[0-9]+)?(\\s*,\\s*[a-z0-9][a-z0-9._-]{0,63}:[0-9]+(\\.[0-9]+)?)*",
                    "empty, or stream:weight pairs separated by commas, weights >= 0"));

    public static final Setting<Integer> EVAL_SEQUENCES = Setting.of("cpt.trainer.eval.sequences", ValueType.INT, 64,
            "Frozen held-out eval set per stream: the first N sequences of that stream seen on the held-out topic.",
            Rule.between(1, 100_000));

    public static final Setting<Long> EVAL_EVERY_STEPS = Setting.of("cpt.trainer.eval.every.steps", ValueType.LONG, 500L,
            "Evaluate every stream's held-out loss every N steps (and at every checkpoint); 0 = only at checkpoints.",
            Rule.between(0L, 1L << 40));

    public static final Setting<Long> CHECKPOINT_EVERY_STEPS = Setting.of("cpt.trainer.checkpoint.every.steps", ValueType.LONG, 1000L,
            "Write a main checkpoint every N steps; 0 = by time only.", Rule.between(0L, 1L << 40));

    public static final Setting<Duration> CHECKPOINT_INTERVAL = Setting.of("cpt.trainer.checkpoint.interval", ValueType.DURATION_TYPE,
            Duration.ofMinutes(10), "Write a main checkpoint at least this often while training.", Rule.atLeast(Duration.ofSeconds(1)));

    public static final Setting<Integer> CHECKPOINT_KEEP = Setting.of("cpt.trainer.checkpoint.keep", ValueType.INT, 3,
            "Main checkpoints kept; older ones are deleted once a newer one is durable.", Rule.between(2, 1000));

    public static final Setting<Integer> GUARD_MAX_SKIPS = Setting.of("cpt.trainer.guard.max.skips", ValueType.INT, 5,
            "Non-finite steps in a row (skipped updates) after which the trainer rolls back to the last checkpoint.",
            Rule.between(1, 1_000_000));

    public static final Setting<Long> TELEMETRY_EVERY_STEPS = Setting.of("cpt.trainer.telemetry.every.steps", ValueType.LONG, 10L,
            "Publish a telemetry event (and update the meters) every N steps.", Rule.between(1L, 1L << 40));

    public static final Setting<Double> PEAK_FLOPS = Setting.of("cpt.trainer.peak.flops", ValueType.DOUBLE, 0.0,
            "Peak FLOP/s of the device for the MFU estimate; 0 measures a large matmul at start-up.", Rule.between(0.0, 1e18));

    public static final Setting<String> GROUP_ID = Setting.of("cpt.trainer.group.id", ValueType.STRING, "cpt-trainer",
            "Consumer group the trainer commits its checkpointed positions to, so that lag tools see its progress.",
            Rule.matches("[a-zA-Z0-9._-]+", "letters, digits, '.', '_', '-'"));

    private TrainerSettings() {
    }
}
