package dev.cpt.trainer.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The two PyTorch autograd facts that DJL's API does not cover.
 *
 * <ul>
 *   <li>Gradient mode is per THREAD in PyTorch, on by default; DJL switches it off only on the
 *       thread that first started the engine. In-place updates of parameters that require a
 *       gradient fail while it is on, and forward passes record a graph. Call
 *       {@link #disableOnThisThread()} before any parameter update or eval on a thread
 *       (cheap: one JNI call). A {@code GradientCollector} switches it on and back.</li>
 *   <li>DJL's {@code GradientCollector} does not clear gradients (they accumulate), and
 *       {@code grad.muli(0)} keeps a NaN. {@link #zeroGradient(NDArray)} fills the gradient
 *       storage with zeros in place, NaNs included.</li>
 * </ul>
 */
public final class Autograd {

    private Autograd() {
    }

    /** Turns PyTorch gradient recording off on the calling thread (starts the engine if needed). */
    public static void disableOnThisThread() {
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
    }

    /** Sets the gradient of {@code parameter} to exactly zero (no-op if it has none yet). */
    public static void zeroGradient(NDArray parameter) {
        if (!(parameter instanceof PtNDArray pt)) {
            throw new IllegalArgumentException("not a PyTorch array: " + parameter.getClass().getName());
        }
        JniUtils.zeroGrad(pt);
    }
}
