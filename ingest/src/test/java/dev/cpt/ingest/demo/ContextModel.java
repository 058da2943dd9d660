package dev.cpt.ingest.demo;

import java.util.HashMap;
import java.util.Map;

/**
 * A count-based order-k byte model with Witten-Bell interpolation down to the uniform
 * distribution: the simplest honest measure of how compressible (so how learnable) a stream is.
 * Cross-entropy on unseen text stays finite because every byte keeps probability mass from the
 * uniform base.
 */
final class ContextModel {

    private static final int TOTAL = 256;
    private static final int DISTINCT = 257;

    private final int order;
    /** Context key (order and up to {@code order} previous bytes) to counts of the next byte, total, distinct. */
    private final Map<Long, int[]> counts = new HashMap<>();

    ContextModel(int order) {
        if (order < 0 || order > 6) {
            throw new IllegalArgumentException("order 0..6: " + order);
        }
        this.order = order;
    }

    void train(byte[] text) {
        for (int i = 0; i < text.length; i++) {
            int next = text[i] & 0xFF;
            for (int k = 0; k <= order && k <= i; k++) {
                int[] c = counts.computeIfAbsent(key(text, i, k), x -> new int[DISTINCT + 1]);
                if (c[next]++ == 0) {
                    c[DISTINCT]++;
                }
                c[TOTAL]++;
            }
        }
    }

    /** Cross-entropy of {@code text} under the model, in bits (not per byte). */
    double bits(byte[] text) {
        double bits = 0;
        for (int i = 0; i < text.length; i++) {
            int next = text[i] & 0xFF;
            double p = 1.0 / 256;
            for (int k = 0; k <= order && k <= i; k++) {
                int[] c = counts.get(key(text, i, k));
                if (c == null) {
                    break; // a longer context unseen in training has no counts either
                }
                p = (c[next] + c[DISTINCT] * p) / (c[TOTAL] + c[DISTINCT]);
            }
            bits -= Math.log(p) / Math.log(2);
        }
        return bits;
    }

    /** The k bytes before position i, tagged with k so that contexts of different orders never collide. */
    private static long key(byte[] text, int i, int k) {
        long key = k;
        for (int j = 1; j <= k; j++) {
            key = (key << 8) | (text[i - j] & 0xFF);
        }
        return key;
    }
}
