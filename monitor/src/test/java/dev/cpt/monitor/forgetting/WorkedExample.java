package dev.cpt.monitor.forgetting;

import dev.cpt.core.format.CheckpointEvent;

import java.util.List;

import static dev.cpt.core.store.Manifest.Kind.DECAYED;
import static dev.cpt.core.store.Manifest.Kind.MAIN;
import static dev.cpt.monitor.forgetting.Events.event;

/**
 * The hand-made loss matrix of the tests and of docs/metrics.md: 3 streams, 5 main checkpoints
 * and 2 decayed branches, in this arrival order (fresh tokens / held-out loss):
 * <pre>
 *   column  kind      news          code          wiki
 *   m1      main      100 / 4.0     100 / 3.0     -
 *   m2      main      200 / 3.5     200 / 2.5      50 / 5.0     (wiki appears late)
 *   m3      main      300 / 3.25    300 / 2.0     100 / 4.5
 *   d1      decayed   320 / 3.0     300 / 1.75    110 / 4.125  (branch forked at m3)
 *   m4      main      400 / 3.0     300 / 2.25    150 / 4.0    (code no longer trained)
 *   m5      main      500 / 3.125   300 / 2.5     150 / 4.25   (wiki no longer trained)
 *   d2      decayed   520 / 2.875   300 / 1.625   160 / 3.875  (branch forked at m5)
 * </pre>
 * Main series m1..m5 (newest m5):
 * <ul>
 *   <li>news: tokens grow at every column, last at m5 = newest: still training. now 3.125 (m5),
 *       best 3.0 (m4), forgetting 0.125, after = loss at m5 = 3.125 = now; not in BWT.</li>
 *   <li>code: grows to m3 (300), flat at m4, m5: lastTrained m3, after 2.0. now 2.5, best 2.0,
 *       forgetting 0.5, now - after = +0.5.</li>
 *   <li>wiki: first seen at m2 (counts as growth), grows to m4, flat at m5: lastTrained m4, after
 *       4.0. now 4.25, best 4.0, forgetting 0.25, now - after = +0.25.</li>
 *   <li>BWT_main = -mean(0.5, 0.25) = -0.375 (training news made code and wiki worse).</li>
 * </ul>
 * Decayed series d1, d2 (newest d2; compared with each other only):
 * <ul>
 *   <li>news: 320 -> 520, lastTrained d2: still training. now 2.875, best min(3.0, 2.875) = 2.875,
 *       forgetting 0, after 2.875.</li>
 *   <li>code: 300 -> 300, lastTrained d1 (its first column), after 1.75. now 1.625, best 1.625,
 *       forgetting 0, now - after = -0.125.</li>
 *   <li>wiki: 110 -> 160, lastTrained d2: still training. now 3.875, best 3.875, forgetting 0,
 *       after 3.875.</li>
 *   <li>BWT_decayed = -(-0.125) = +0.125 (code kept improving after its training ended).</li>
 * </ul>
 */
final class WorkedExample {

    static final List<CheckpointEvent> EVENTS = List.of(
            event("m1", MAIN, "news", 100, 4.0, "code", 100, 3.0),
            event("m2", MAIN, "news", 200, 3.5, "code", 200, 2.5, "wiki", 50, 5.0),
            event("m3", MAIN, "news", 300, 3.25, "code", 300, 2.0, "wiki", 100, 4.5),
            event("d1", DECAYED, "news", 320, 3.0, "code", 300, 1.75, "wiki", 110, 4.125),
            event("m4", MAIN, "news", 400, 3.0, "code", 300, 2.25, "wiki", 150, 4.0),
            event("m5", MAIN, "news", 500, 3.125, "code", 300, 2.5, "wiki", 150, 4.25),
            event("d2", DECAYED, "news", 520, 2.875, "code", 300, 1.625, "wiki", 160, 3.875));

    private WorkedExample() {
    }

    static LossMatrix matrix() {
        return matrix(LossMatrix.DEFAULT_MAX_COLUMNS_PER_KIND);
    }

    static LossMatrix matrix(int maxPerKind) {
        return Events.matrix(maxPerKind, EVENTS.toArray(CheckpointEvent[]::new));
    }
}
