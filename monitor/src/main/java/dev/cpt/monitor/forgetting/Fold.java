package dev.cpt.monitor.forgetting;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running summary of one kind's series: a left fold over its columns in arrival order, which
 * is all {@link Forgetting} needs. Because it is a left fold, folding the columns a bounded
 * {@link LossMatrix} drops into a base and then folding the columns it keeps gives exactly the
 * same value as folding every column: dropping old columns cannot change the report.
 *
 * @param newestId id of the newest column folded in; null before the first
 * @param tracks per stream that had a finite loss in some column, sorted by stream
 */
record Fold(String newestId, Map<String, Track> tracks) {

    static final Fold EMPTY = new Fold(null, Map.of());

    /**
     * One stream's summary.
     *
     * @param now loss at the newest column that has the stream
     * @param best lowest loss so far
     * @param tokens the stream's fresh tokens at the newest column that has it
     * @param lastTrainedId newest column at which the stream's tokens grew since its previous
     *        measurement in this series (its first measurement counts as growth)
     * @param after loss at {@code lastTrainedId}
     */
    record Track(double now, double best, long tokens, String lastTrainedId, double after) {
    }

    /** The summary after one more column (of this fold's kind; the caller filters). */
    Fold then(LossMatrix.Column c) {
        Map<String, Track> next = new TreeMap<>(tracks);
        c.loss().forEach((stream, loss) -> {
            long tokens = c.tokensPerStream().getOrDefault(stream, 0L);
            Track t = tracks.get(stream);
            if (t == null) {
                next.put(stream, new Track(loss, loss, tokens, c.id(), loss));
            } else {
                boolean grew = tokens > t.tokens();
                next.put(stream, new Track(loss, Math.min(t.best(), loss), tokens,
                        grew ? c.id() : t.lastTrainedId(), grew ? loss : t.after()));
            }
        });
        return new Fold(c.id(), Collections.unmodifiableMap(next));
    }
}
