package dev.cpt.trainer;

import dev.cpt.core.config.BranchSettings;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.CoreSettings;
import dev.cpt.core.config.TrainerSettings;
import dev.cpt.core.kafka.Topics;
import dev.cpt.trainer.branch.BranchSpec;
import dev.cpt.trainer.branch.BranchTriggers;
import dev.cpt.trainer.schedule.Schedule;
import dev.cpt.trainer.schedule.Schedules;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/** The trainer's settings, read from the configuration once. */
public record TrainerOptions(Topics topics, Path store, String preset, long seed, int batchSize, int threads,
                             TrainerSettings.Device device, Schedule schedule, long rewarmSteps, double weightDecay,
                             double gradClip, double replayRatio, long replayBytes, Map<String, Double> replayWeights, int evalSequences, long evalEvery,
                             long checkpointEvery, Duration checkpointInterval, int checkpointKeep, int guardMaxSkips,
                             long telemetryEvery, double peakFlops, String groupId, String fingerprint, Branching branching) {

    /**
     * Decayed branches ({@code cpt.branch.*}).
     *
     * @param defaults the decay a trigger or an empty request gets
     * @param rewarmSteps wsd-s: re-warm steps of the main run after adopting a branch
     */
    public record Branching(BranchSettings.Mode mode, BranchTriggers triggers, BranchSpec defaults, int queueCapacity, int keep,
                            long rewarmSteps) {

        public static Branching from(Config config) {
            return new Branching(config.get(BranchSettings.MODE), BranchTriggers.from(config), BranchSpec.from(config),
                    config.get(BranchSettings.QUEUE_CAPACITY), config.get(BranchSettings.KEEP), config.get(BranchSettings.REWARM_STEPS));
        }
    }


    public static TrainerOptions from(Config config) {
        return new TrainerOptions(Topics.from(config), CoreSettings.storeDir(config), config.get(TrainerSettings.PRESET),
                config.get(TrainerSettings.SEED), config.get(TrainerSettings.BATCH_SIZE), config.get(TrainerSettings.THREADS),
                config.get(TrainerSettings.DEVICE), Schedules.from(config), config.get(TrainerSettings.REWARM_STEPS),
                config.get(TrainerSettings.WEIGHT_DECAY), config.get(TrainerSettings.GRAD_CLIP),
                config.get(TrainerSettings.REPLAY_RATIO), config.get(TrainerSettings.REPLAY_BYTES),
                weights(config.get(TrainerSettings.REPLAY_WEIGHTS)),
                config.get(TrainerSettings.EVAL_SEQUENCES), config.get(TrainerSettings.EVAL_EVERY_STEPS),
                config.get(TrainerSettings.CHECKPOINT_EVERY_STEPS), config.get(TrainerSettings.CHECKPOINT_INTERVAL),
                config.get(TrainerSettings.CHECKPOINT_KEEP), config.get(TrainerSettings.GUARD_MAX_SKIPS),
                config.get(TrainerSettings.TELEMETRY_EVERY_STEPS), config.get(TrainerSettings.PEAK_FLOPS),
                config.get(TrainerSettings.GROUP_ID), fingerprint(config), Branching.from(config));
    }

    /** {@code "news:3,code:1"} -> {news=3.0, code=1.0}; empty text -> empty map (in proportion to what is held). */
    static Map<String, Double> weights(String text) {
        Map<String, Double> out = new java.util.TreeMap<>();
        if (!text.isBlank()) {
            for (String pair : text.split(",")) {
                String[] kv = pair.strip().split(":");
                out.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        return Map.copyOf(out);
    }

    /** A hash of the settings that change what is learned (not where files go or how often telemetry is sent). */
    static String fingerprint(Config config) {
        StringBuilder b = new StringBuilder();
        for (var s : new dev.cpt.core.config.Setting<?>[]{TrainerSettings.PRESET, TrainerSettings.SEED, TrainerSettings.BATCH_SIZE,
                TrainerSettings.LR_PEAK, TrainerSettings.WARMUP_STEPS, TrainerSettings.SCHEDULE, TrainerSettings.WEIGHT_DECAY,
                TrainerSettings.GRAD_CLIP, TrainerSettings.REPLAY_RATIO}) {
            b.append(s.key()).append('=').append(config.entries().stream().filter(e -> e.setting().key().equals(s.key()))
                    .findFirst().orElseThrow().display()).append('\n');
        }
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
