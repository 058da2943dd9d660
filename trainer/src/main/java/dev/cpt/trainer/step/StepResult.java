package dev.cpt.trainer.step;

import dev.cpt.trainer.optim.GroupStats;

import java.util.List;

/**
 * Outcome of one {@link TrainStep#step training step}.
 *
 * @param loss         mean next-token cross entropy of the batch before the update (nats/token)
 * @param gradNorm     global gradient L2 norm before clipping
 * @param skipReason   why no update was applied, {@link SkipReason#NONE} when it was
 * @param tokens       predicted tokens in the batch (B x T)
 * @param dataNs       host batch to device arrays
 * @param forwardNs    forward pass and loss
 * @param backwardNs   backward pass
 * @param optimizerNs  gradient norms, clipping, the AdamW update, statistics, zeroing the gradients
 * @param groups       per-group statistics when requested and not skipped, else empty
 */
public record StepResult(double loss, double gradNorm, SkipReason skipReason, long tokens, long dataNs,
                         long forwardNs, long backwardNs, long optimizerNs, List<GroupStats> groups) {

    /** Why a step applied no update. */
    public enum SkipReason {
        /** Not skipped: the update was applied. */
        NONE,
        /** The learning rate was NaN or infinite. */
        NON_FINITE_LEARNING_RATE,
        /** The loss was NaN or infinite. */
        NON_FINITE_LOSS,
        /** A gradient held a NaN or infinity (or their global norm overflowed). */
        NON_FINITE_GRADIENT
    }

    public StepResult {
        groups = List.copyOf(groups);
    }

    /** True when no update was applied (weights and optimizer state are unchanged). */
    public boolean skipped() {
        return skipReason != SkipReason.NONE;
    }

    /** Wall time of the step's parts together. */
    public long totalNs() {
        return dataNs + forwardNs + backwardNs + optimizerNs;
    }

    /** Training throughput of this step. */
    public double tokensPerSecond() {
        long ns = totalNs();
        return ns == 0 ? 0 : tokens * 1e9 / ns;
    }
}
