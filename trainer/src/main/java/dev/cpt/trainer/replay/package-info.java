/**
 * Replay against forgetting: a disk-backed reservoir per stream ({@link dev.cpt.trainer.replay.ReplayBuffer})
 * and the batch split between fresh and replayed sequences ({@link dev.cpt.trainer.replay.Mixer}).
 *
 * <p>Per step the trainer does, in this order:
 * <pre>
 * Mixer.Split split = mixer.split(B, buffer.canSample(weights));
 * batch = split.fresh() fresh sequences + buffer.sample(split.replay(), weights)
 * each fresh sequence: buffer.offer(s)            // after sampling: a batch never replays its own fresh data
 * mixer = split.next();
 * </pre>
 * At a checkpoint, {@code buffer.checkpoint(<checkpoint>/replay)} and the mixer's {@code slots} in
 * {@code state.json}; on start, {@code ReplayBuffer.restore(<checkpoint>/replay, workDir)}. Checkpoint
 * directory: {@code replay.state} (binary: seed, capacity, sampler and per-stream RNG states, counts;
 * CRC-32) and one {@code <stream>.slots} per stream (fixed-size {@code TokenSequence} records).
 */
package dev.cpt.trainer.replay;
