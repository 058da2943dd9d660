package dev.cpt.monitor.forgetting;

import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.store.Manifest.Kind;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test events: {@code event("m1", MAIN, "news", 100, 4.0, "code", 100, 3.0)} = (stream, tokens, loss) triples. */
final class Events {

    private Events() {
    }

    static CheckpointEvent event(String id, Kind kind, Object... streamTokensLoss) {
        if (streamTokensLoss.length % 3 != 0) {
            throw new IllegalArgumentException("(stream, tokens, loss) triples expected");
        }
        Map<String, Long> tokens = new LinkedHashMap<>();
        Map<String, Double> loss = new LinkedHashMap<>();
        for (int i = 0; i < streamTokensLoss.length; i += 3) {
            String s = (String) streamTokensLoss[i];
            tokens.put(s, ((Number) streamTokensLoss[i + 1]).longValue());
            loss.put(s, ((Number) streamTokensLoss[i + 2]).doubleValue());
        }
        long step = Long.parseLong(id.replaceAll("\\D", "").isEmpty() ? "0" : id.replaceAll("\\D", ""));
        long total = tokens.values().stream().mapToLong(Long::longValue).sum();
        return new CheckpointEvent(1_000 * step, id, kind, step, step, total, tokens, loss, null, "ckpt/" + id, "sha-" + id);
    }

    static LossMatrix matrix(CheckpointEvent... events) {
        return matrix(LossMatrix.DEFAULT_MAX_COLUMNS_PER_KIND, events);
    }

    static LossMatrix matrix(int maxPerKind, CheckpointEvent... events) {
        LossMatrix m = new LossMatrix(maxPerKind);
        for (CheckpointEvent e : events) {
            m = m.with(e);
        }
        return m;
    }
}
