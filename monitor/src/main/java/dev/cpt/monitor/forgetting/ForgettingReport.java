package dev.cpt.monitor.forgetting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpt.core.format.Json;
import dev.cpt.core.store.Manifest.Kind;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Forgetting and backward transfer of every stream, computed separately for each kind (main and
 * decayed), each over its own series of columns. Both kinds are always present; a kind without
 * columns has no streams and a NaN backward transfer.
 *
 * @param kinds the report of each kind
 */
public record ForgettingReport(Map<Kind, KindReport> kinds) {

    /**
     * One kind's report.
     *
     * @param newestId the newest column of the kind; null when it has none
     * @param streams every stream with a finite loss in some column of the kind, sorted by id
     * @param backwardTransfer {@code -mean(now - after)} over the streams that are not
     *        {@linkplain StreamForgetting#stillTraining() still training}: positive when later
     *        training helped them, negative when it made them forget; NaN when no stream qualifies
     */
    public record KindReport(String newestId, Map<String, StreamForgetting> streams, double backwardTransfer) {

        public KindReport {
            streams = Collections.unmodifiableMap(new TreeMap<>(streams));
        }

        static final KindReport EMPTY = new KindReport(null, Map.of(), Double.NaN);
    }

    /** Requires both kinds. */
    public ForgettingReport {
        Map<Kind, KindReport> copy = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            copy.put(k, Objects.requireNonNull(kinds.get(k), () -> "no report for kind " + k.word()));
        }
        kinds = Collections.unmodifiableMap(copy);
    }

    /** The report of {@code kind}. */
    public KindReport of(Kind kind) {
        return kinds.get(kind);
    }

    /** One stream of one kind; empty when the kind has no finite loss for it. */
    public Optional<StreamForgetting> stream(Kind kind, String stream) {
        return Optional.ofNullable(kinds.get(kind).streams().get(stream));
    }

    /** Backward transfer of {@code kind}; NaN when no stream qualifies. */
    public double backwardTransfer(Kind kind) {
        return kinds.get(kind).backwardTransfer();
    }

    /**
     * The report as JSON, non-finite numbers as null:
     * <pre>{@code
     * {"main": {"newestId": "...", "backwardTransfer": -0.375,
     *           "streams": {"code": {"now", "best", "forgetting", "after", "lastTrainedId", "stillTraining"}, ...}},
     *  "decayed": {...}}
     * }</pre>
     */
    public ObjectNode toJsonNode() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        for (Kind k : Kind.values()) {
            KindReport r = kinds.get(k);
            ObjectNode n = root.putObject(k.word());
            n.put("newestId", r.newestId());
            number(n, "backwardTransfer", r.backwardTransfer());
            ObjectNode streams = n.putObject("streams");
            r.streams().forEach((id, s) -> {
                ObjectNode o = streams.putObject(id);
                number(o, "now", s.now());
                number(o, "best", s.best());
                number(o, "forgetting", s.forgetting());
                number(o, "after", s.after());
                o.put("lastTrainedId", s.lastTrainedId());
                o.put("stillTraining", s.stillTraining());
            });
        }
        return root;
    }

    private static void number(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }
}
