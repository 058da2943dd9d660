package dev.cpt.core.format;

import dev.cpt.core.store.Manifest;

import java.util.Map;

/**
 * One record on {@code cpt.checkpoints} (JSON, keyed by id) per checkpoint the trainer made
 * durable, main or decayed. The monitor builds its loss matrix and the registry its list from
 * these events and the store.
 *
 * @param timestampMs when the checkpoint became durable
 * @param id checkpoint id (docs/checkpoints.md)
 * @param kind main or decayed
 * @param step optimizer steps behind the weights
 * @param parentMainStep the main run's step at the fork (main: its own step)
 * @param tokens tokens behind the weights
 * @param tokensPerStream fresh tokens behind the weights, by stream
 * @param evalLoss held-out loss per stream
 * @param predictedLoss the loss law's prediction made before a branch ran; null when none
 * @param path the checkpoint's folder relative to the store, '/'-separated
 * @param manifestSha256 SHA-256 of its {@code manifest.json}
 */
public record CheckpointEvent(long timestampMs, String id, Manifest.Kind kind, long step, long parentMainStep, long tokens,
                              Map<String, Long> tokensPerStream, Map<String, Double> evalLoss, Double predictedLoss,
                              String path, String manifestSha256) {

    public CheckpointEvent {
        tokensPerStream = Map.copyOf(tokensPerStream);
        evalLoss = Map.copyOf(evalLoss);
    }

    public static CheckpointEvent of(Manifest m, String path, String manifestSha256) {
        return new CheckpointEvent(m.createdMs(), m.id(), m.kind(), m.step(), m.parentMainStep(), m.tokens(), m.tokensPerStream(),
                m.evalLoss(), m.predictedLoss(), path, manifestSha256);
    }
}
