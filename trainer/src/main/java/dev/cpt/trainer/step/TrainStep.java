package dev.cpt.trainer.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.cpt.trainer.model.Autograd;
import dev.cpt.trainer.model.Gpt;
import dev.cpt.trainer.optim.AdamW;
import dev.cpt.trainer.optim.GradientNorms;
import dev.cpt.trainer.optim.GroupStats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One training step of a {@link Gpt} with its {@link AdamW}, and forward-only evaluation.
 *
 * <p>A batch is {@code int[B][T+1]} token ids: inputs are positions {@code [0, T)}, targets
 * {@code [1, T]}; {@code 1 <= T <= context}, all rows the same length, ids in {@code [0, vocab)}.
 *
 * <p>Per step: a sub-manager of the model's manager is opened, the batch is copied to the model's
 * device into it, forward + loss + backward run under one {@link GradientCollector}, the loss
 * and the per-parameter gradient norms come back to the host in two transfers, a step with a
 * non-finite learning rate, loss or gradient is skipped (nothing changes, the reason is
 * reported), otherwise gradients are clipped to the global norm and AdamW updates the weights;
 * gradients are then zeroed and the sub-manager closed, so the model's manager holds the same
 * arrays after every step. Works on any device the model is on; on a GPU the phase timings are
 * launch times except where a transfer synchronises (the loss, the norms).
 *
 * <p>Only one {@code GradientCollector} may be open per process: do not run steps of two
 * models at the same time (interleave them on one thread). Not thread-safe.
 */
public final class TrainStep {

    private final Gpt model;
    private final AdamW optimizer;

    public TrainStep(Gpt model, AdamW optimizer) {
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        if (!optimizer.isFor(model)) {
            throw new IllegalArgumentException("the optimizer was built for another model's parameters");
        }
    }

    public Gpt model() {
        return model;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** {@link #step(int[][], double, boolean)} without group statistics. */
    public StepResult step(int[][] batch, double lr) {
        return step(batch, lr, false);
    }

    /**
     * Trains on {@code batch} at learning rate {@code lr}.
     *
     * @param collectStats also compute per-group weight, update and gradient norms
     * @throws IllegalArgumentException for a malformed batch or a negative learning rate
     */
    public StepResult step(int[][] batch, double lr, boolean collectStats) {
        Shape shape = validate(batch);
        if (lr < 0) {
            throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
        }
        Autograd.disableOnThisThread();
        long tokens = shape.size();
        long t0 = System.nanoTime();
        try (NDManager sm = model.manager().newSubManager()) {
            NDArray inputs = sm.create(slice(batch, 0), shape);
            NDArray targets = sm.create(slice(batch, 1), shape);
            long t1 = System.nanoTime();
            long t2;
            long t3;
            double lossValue;
            GradientNorms norms;
            StepResult.SkipReason reason;
            List<GroupStats> stats = List.of();
            try {
                NDArray loss;
                try (GradientCollector gc = model.manager().getEngine().newGradientCollector()) {
                    loss = Gpt.crossEntropy(model.logits(inputs, true), targets);
                    t2 = System.nanoTime();
                    gc.backward(loss);
                }
                t3 = System.nanoTime();
                Map<String, NDArray> grads = gradients(sm);
                lossValue = loss.getFloat();
                norms = optimizer.gradientNorms(grads);
                if (!Double.isFinite(lr)) {
                    reason = StepResult.SkipReason.NON_FINITE_LEARNING_RATE;
                } else if (!Double.isFinite(lossValue)) {
                    reason = StepResult.SkipReason.NON_FINITE_LOSS;
                } else if (!norms.isFinite()) {
                    reason = StepResult.SkipReason.NON_FINITE_GRADIENT;
                } else {
                    reason = StepResult.SkipReason.NONE;
                    optimizer.clip(grads, norms);
                    stats = optimizer.step(grads, lr, norms, collectStats);
                }
            } finally {
                // gradients accumulate across backward passes: clear them whatever happened; a
                // collector that failed to open (another one was open) leaves grad mode on
                Autograd.disableOnThisThread();
                for (Parameter p : model.namedParameters().values()) {
                    Autograd.zeroGradient(p.getArray());
                }
            }
            long t4 = System.nanoTime();
            return new StepResult(lossValue, norms.global(), reason, tokens, t1 - t0, t2 - t1, t3 - t2, t4 - t3,
                    stats);
        }
    }

    /** Mean next-token cross entropy of {@code batch} (nats/token), forward only, weights untouched. */
    public double evalLoss(int[][] batch) {
        Shape shape = validate(batch);
        Autograd.disableOnThisThread();
        try (NDManager sm = model.manager().newSubManager()) {
            NDArray inputs = sm.create(slice(batch, 0), shape);
            NDArray targets = sm.create(slice(batch, 1), shape);
            return Gpt.crossEntropy(model.logits(inputs, false), targets).getFloat();
        }
    }

    /** Copies this step's weights and optimizer state into {@code other} (for a decay branch). */
    public void copyInto(TrainStep other) {
        model.copyWeightsInto(other.model);
        optimizer.copyStateInto(other.optimizer);
    }

    private Map<String, NDArray> gradients(NDManager sm) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            NDArray g = e.getValue().getArray().getGradient();   // a new handle in the model's manager
            g.attach(sm);                                           // freed with the step
            grads.put(e.getKey(), g);
        }
        return grads;
    }

    private Shape validate(int[][] batch) {
        if (batch == null || batch.length == 0) {
            throw new IllegalArgumentException("batch is empty");
        }
        int len = -1;
        int vocab = model.config().vocabSize();
        for (int b = 0; b < batch.length; b++) {
            int[] row = batch[b];
            if (row == null) {
                throw new IllegalArgumentException("batch row " + b + " is null");
            }
            if (len < 0) {
                len = row.length;
                if (len < 2 || len > model.config().context() + 1) {
                    throw new IllegalArgumentException("rows must hold T+1 tokens with 1 <= T <= "
                            + model.config().context() + ", got " + len + " tokens");
                }
            } else if (row.length != len) {
                throw new IllegalArgumentException("batch row " + b + " has " + row.length + " tokens, row 0 has " + len);
            }
            for (int i = 0; i < row.length; i++) {
                if (row[i] < 0 || row[i] >= vocab) {
                    throw new IllegalArgumentException("token " + row[i] + " at [" + b + "][" + i
                            + "] outside the vocabulary [0, " + vocab + ")");
                }
            }
        }
        return new Shape(batch.length, len - 1);
    }

    private static long[] slice(int[][] batch, int from) {
        int t = batch[0].length - 1;
        long[] out = new long[batch.length * t];
        for (int b = 0; b < batch.length; b++) {
            int[] row = batch[b];
            for (int i = 0; i < t; i++) {
                out[b * t + i] = row[from + i];
            }
        }
        return out;
    }
}
