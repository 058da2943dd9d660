package dev.cpt.trainer.telemetry;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The FLOP/s the engine reaches on a large square matmul on a device: the denominator of MFU. */
public final class PeakFlops {

    private PeakFlops() {
    }

    /**
     * Times {@code reps} products of two {@code n x n} float matrices after one warm-up product.
     *
     * @return floating-point operations per second ({@code 2 n^3} per product)
     */
    public static double measure(Device device, int n, int reps) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            a.matMul(b).toFloatArray(); // warm-up; the host transfer waits for the device
            long t0 = System.nanoTime();
            NDArray c = null;
            for (int i = 0; i < reps; i++) {
                c = a.matMul(b);
            }
            c.getFloat(0, 0);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return 2.0 * n * n * (double) n * reps / seconds;
        }
    }
}
