package dev.cpt.trainer.replay;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How many sequences of a batch come from the replay buffer. Replay <em>replaces</em> fresh
 * sequences: a batch of {@code B} is {@code replay} replayed plus {@code B - replay} fresh, so the
 * tokens per step do not change with the ratio.
 *
 * <p>{@code round(r * B)} per batch alone would drift (5% of 8 is 0.4, rounded to 0 forever), so
 * the count carries: after batches totalling {@code S} slots the replayed total is
 * {@code round(r * S)} (half up), and each batch takes the difference. The replayed fraction is
 * thus within {@code 1 / (2S)} of {@code r} at every point, and exact whenever {@code r * S} is a
 * whole number. The product is computed in decimal ({@link BigDecimal#valueOf(double)}), so
 * {@code r = 0.29} means 29/100 and not the nearest binary fraction, which would round some
 * totals down by one.
 *
 * <p>Batches while the buffer is empty are all fresh and are not counted, so the first batches
 * after it fills do not catch up on replay that could not happen.
 *
 * <p>A value: {@link #split} returns the next mixer. For exact resume, save {@link #slots()} with
 * the checkpoint and continue with {@code new Mixer(ratio, slots)}.
 *
 * @param ratio the replay ratio {@code r}, in {@code [0, 1]}
 * @param slots batch slots counted so far (batches that had replay available)
 */
public record Mixer(double ratio, long slots) {

    /** The default replay ratio: 5%, what the literature suggests for a weak distribution shift. */
    public static final double DEFAULT_RATIO = 0.05;

    public Mixer {
        if (!(ratio >= 0 && ratio <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("replay ratio must be in [0, 1]: " + ratio);
        }
        if (slots < 0) {
            throw new IllegalArgumentException("counted batch slots must be >= 0: " + slots);
        }
    }

    /** A mixer that has counted nothing yet. */
    public static Mixer of(double ratio) {
        return new Mixer(ratio, 0);
    }

    /** A mixer with the {@link #DEFAULT_RATIO}. */
    public static Mixer defaults() {
        return of(DEFAULT_RATIO);
    }

    /**
     * One batch's split.
     *
     * @param fresh sequences to take from the fresh data
     * @param replay sequences to draw from the replay buffer
     * @param next the mixer for the following batch
     */
    public record Split(int fresh, int replay, Mixer next) {
    }

    /**
     * Splits a batch of {@code batchSize} sequences.
     *
     * @param replayAvailable whether the replay buffer can be sampled ({@code buffer.canSample(weights)});
     *     when false the whole batch is fresh and the batch is not counted
     * @throws IllegalArgumentException when {@code batchSize < 1}
     */
    public Split split(int batchSize, boolean replayAvailable) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1: " + batchSize);
        }
        if (!replayAvailable) {
            return new Split(batchSize, 0, this);
        }
        long after = Math.addExact(slots, batchSize);
        int replay = (int) (replayedAfter(after) - replayedAfter(slots));
        return new Split(batchSize - replay, replay, new Mixer(ratio, after));
    }

    /** Sequences replayed in total once {@code n} slots are counted: {@code round(r * n)}, half up. */
    public long replayedAfter(long n) {
        return BigDecimal.valueOf(ratio).multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
