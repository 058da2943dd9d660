package dev.cpt.trainer.bench;

/**
 * Timed training steps of one implementation (warm-up excluded).
 *
 * @param steps          timed steps
 * @param tokensPerSecond predicted tokens (batch x context) per second of wall time
 * @param msPerStep      mean wall time of a step
 * @param dataMs         mean time to copy the batch into the engine (NaN where not measured apart)
 * @param forwardMs      mean forward pass + loss
 * @param backwardMs     mean backward pass
 * @param optimizerMs    mean gradient norms + clipping + AdamW update + zeroing the gradients
 * @param lossFirst      loss of the very first step (warm-up included), on the initial weights
 * @param lossLast       loss of the last timed step
 * @param skippedSteps   timed steps that applied no update (a non-finite loss or gradient); they are
 *                       timed like the others
 * @param firstSkip      description of the first skipped step (warm-up included), null when none
 */
public record Throughput(int steps, double tokensPerSecond, double msPerStep, double dataMs, double forwardMs,
                         double backwardMs, double optimizerMs, double lossFirst, double lossLast, int skippedSteps,
                         String firstSkip) {
}
