package dev.cpt.trainer.optim;

import dev.cpt.trainer.model.ParameterGroup;

/**
 * Per-group telemetry of one optimizer update. Norms are over all of the group's tensors taken
 * together ({@code sqrt} of the summed squares).
 *
 * @param group        the parameter group
 * @param tensors      number of parameter tensors in the group
 * @param weightNorm   {@code ||w||} after the update
 * @param updateNorm   {@code ||delta w||} of this update (Adam step and weight decay)
 * @param gradientNorm {@code ||g||} before clipping
 * @param effectiveLr  {@code lr / ||w||^2}: the effective learning rate of a scale-invariant
 *                     weight (infinite for an all-zero group)
 */
public record GroupStats(ParameterGroup group, int tensors, double weightNorm, double updateNorm,
                         double gradientNorm, double effectiveLr) {

    /** {@code ||delta w|| / ||w||} (infinite for an all-zero group). */
    public double relativeUpdate() {
        return updateNorm / weightNorm;
    }
}
