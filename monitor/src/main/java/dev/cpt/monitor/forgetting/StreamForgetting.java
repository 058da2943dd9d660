package dev.cpt.monitor.forgetting;

/**
 * One stream's forgetting within one kind's series (main or decayed). Losses are held-out nats
 * per token; lower is better.
 *
 * @param stream the stream id
 * @param now loss at the newest column of the kind that has the stream
 * @param best lowest loss of the stream over every column of the kind so far (dropped ones too)
 * @param forgetting {@code now - best}, {@code >= 0}: how much of its best the stream has lost
 * @param after loss at {@code lastTrainedId}: the loss right after the stream was last trained on
 * @param lastTrainedId newest column of the kind at which the stream's fresh tokens grew (its
 *        first column counts as growth); may be a column the matrix has since dropped
 * @param stillTraining whether {@code lastTrainedId} is the newest column of the kind: training
 *        on the stream has not ended, {@code after == now}, and the stream is left out of backward
 *        transfer
 */
public record StreamForgetting(String stream, double now, double best, double forgetting, double after,
                               String lastTrainedId, boolean stillTraining) {
}
