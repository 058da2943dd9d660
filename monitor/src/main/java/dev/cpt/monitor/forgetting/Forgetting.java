package dev.cpt.monitor.forgetting;

import dev.cpt.core.store.Manifest.Kind;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Forgetting and backward transfer of a {@link LossMatrix}. For each kind k (main, decayed), over
 * k's columns in arrival order, for each stream s with a finite loss in some column of k:
 * <ul>
 *   <li>{@code now_k(s)}: loss of s at the newest column of k that has s;</li>
 *   <li>{@code best_k(s)}: lowest loss of s over k so far;</li>
 *   <li>{@code forgetting_k(s) = now_k(s) - best_k(s)}, {@code >= 0};</li>
 *   <li>{@code lastTrained_k(s)}: the newest column of k at which s's fresh tokens
 *       ({@code tokensPerStream}, cumulative) grew compared with the previous column of k that has
 *       s (the first column that has s counts as growth; a missing count is 0). When every column
 *       has s, as it does when all streams are evaluated at every checkpoint, "the previous column
 *       of k that has s" is just the previous column of k. {@code after_k(s)} is the loss of s
 *       there: the loss right after s was last trained on;</li>
 *   <li>{@code BWT_k = -mean(now_k(s) - after_k(s))} over the streams whose
 *       {@code lastTrained_k(s)} is not the newest column of k (training on s has ended), in
 *       stream order; positive when later training helped them, negative when they were
 *       forgotten; NaN when no stream qualifies.</li>
 * </ul>
 * Main and decayed columns are never mixed: a branch is compared with earlier branches only.
 */
public final class Forgetting {

    private Forgetting() {
    }

    /** The report of the matrix, both kinds. */
    public static ForgettingReport of(LossMatrix matrix) {
        Map<Kind, ForgettingReport.KindReport> kinds = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            kinds.put(k, of(matrix.fold(k)));
        }
        return new ForgettingReport(kinds);
    }

    static ForgettingReport.KindReport of(Fold fold) {
        if (fold.newestId() == null) {
            return ForgettingReport.KindReport.EMPTY;
        }
        Map<String, StreamForgetting> streams = new TreeMap<>();
        double sum = 0;
        int ended = 0;
        for (Map.Entry<String, Fold.Track> e : fold.tracks().entrySet()) {
            Fold.Track t = e.getValue();
            boolean still = t.lastTrainedId().equals(fold.newestId());
            streams.put(e.getKey(), new StreamForgetting(e.getKey(), t.now(), t.best(), t.now() - t.best(), t.after(),
                    t.lastTrainedId(), still));
            if (!still) {
                sum += t.now() - t.after();
                ended++;
            }
        }
        double bwt = ended == 0 ? Double.NaN : 0.0 - sum / ended; // 0.0 - x: no -0.0 when nothing changed
        return new ForgettingReport.KindReport(fold.newestId(), streams, bwt);
    }
}
