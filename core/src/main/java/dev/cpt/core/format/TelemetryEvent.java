package dev.cpt.core.format;

import java.util.Map;

/**
 * What the trainer reports every {@code cpt.trainer.telemetry.every.steps} on {@code cpt.telemetry}
 * (JSON, docs/formats.md). The monitor builds its meters from these events alone.
 *
 * @param timestampMs wall clock when the event was made
 * @param step optimizer steps taken by the main run
 * @param tokens tokens trained on so far (fresh and replayed)
 * @param tokensPerStream fresh tokens trained on so far, by stream
 * @param loss mean training loss over the steps since the previous event
 * @param lr learning rate of the last step
 * @param phase schedule phase of the last step (warmup, stable, ...)
 * @param gradNorm global gradient norm before clipping, last step
 * @param tokensPerSecond training throughput since the previous event
 * @param mfu model FLOP utilisation estimate in [0, 1]
 * @param stepMs mean time per step since the previous event, by part: data, forward, backward, optimizer
 * @param groups per parameter group: weight norm, relative update, effective learning rate
 * @param skippedSteps non-finite steps skipped since start
 * @param waitingForData whether the trainer was idle for lack of data since the previous event
 */
public record TelemetryEvent(long timestampMs, long step, long tokens, Map<String, Long> tokensPerStream, double loss, double lr,
                             String phase, double gradNorm, double tokensPerSecond, double mfu, Map<String, Double> stepMs,
                             Map<String, GroupStats> groups, long skippedSteps, boolean waitingForData) {

    /**
     * @param weightNorm ||w|| over the group's parameters
     * @param updateRatio ||dw|| / ||w|| of the last update
     * @param effectiveLr lr / ||w||^2
     */
    public record GroupStats(double weightNorm, double updateRatio, double effectiveLr) {
    }

    public TelemetryEvent {
        tokensPerStream = Map.copyOf(tokensPerStream);
        stepMs = Map.copyOf(stepMs);
        groups = Map.copyOf(groups);
    }
}
