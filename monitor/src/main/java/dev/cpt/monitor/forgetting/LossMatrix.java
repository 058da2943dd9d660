package dev.cpt.monitor.forgetting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.format.Json;
import dev.cpt.core.store.Manifest.Kind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The loss matrix: one column per checkpoint in arrival order, one row per stream, the held-out
 * loss (nats per token, lower is better) in the cells. Immutable: {@link #with} returns a new
 * matrix.
 *
 * <p><b>Bounded.</b> At most {@link #maxColumnsPerKind()} columns of each kind are kept; adding
 * one more drops the oldest column of that kind. What a dropped column contributed is not lost:
 * each kind keeps a running summary (per stream: best loss so far, latest loss, tokens, the column
 * it was last trained at and the loss there) to which dropped columns are folded, and the report
 * is that summary folded on with the kept columns. So {@link Forgetting#of} gives exactly the same
 * report whether or not old columns were dropped: "best so far" is the best over every column ever
 * added, and "after last trained" may name a column that is no longer in {@link #columns()}.
 * What dropping does lose: the dropped columns' cells ({@link #loss} is empty for them, and
 * {@link #toJson} lists only kept columns), and replacing a dropped id, which then arrives as a
 * new column.
 *
 * <p><b>Replacement.</b> An event whose id is already among the kept columns replaces that column
 * where it stands (same position in arrival order), and everything after it is re-summarised.
 *
 * <p><b>Non-finite losses</b> (NaN, infinities) are left out of a column: the column does not
 * "have" that stream, so one failed evaluation neither sets nor spoils a best.
 */
public final class LossMatrix {

    /** Columns kept per kind unless told otherwise. */
    public static final int DEFAULT_MAX_COLUMNS_PER_KIND = 500;

    /**
     * One checkpoint's column.
     *
     * @param id checkpoint id
     * @param kind main or decayed
     * @param step optimizer steps behind the weights
     * @param tokens tokens behind the weights
     * @param timestampMs when the checkpoint became durable
     * @param tokensPerStream fresh tokens behind the weights, by stream (sorted)
     * @param loss finite held-out losses by stream (sorted); non-finite ones are left out
     */
    public record Column(String id, Kind kind, long step, long tokens, long timestampMs, Map<String, Long> tokensPerStream,
                         Map<String, Double> loss) {

        /** Requires id and kind; copies the maps sorted and drops non-finite losses. */
        public Column {
            if (id == null || id.isEmpty()) {
                throw new IllegalArgumentException("a checkpoint needs an id");
            }
            Objects.requireNonNull(kind, "kind of checkpoint " + id);
            tokensPerStream = Collections.unmodifiableMap(new TreeMap<>(tokensPerStream));
            Map<String, Double> finite = new TreeMap<>();
            loss.forEach((s, v) -> {
                if (v != null && Double.isFinite(v)) {
                    finite.put(s, v);
                }
            });
            loss = Collections.unmodifiableMap(finite);
        }

        /** The column of a {@code cpt.checkpoints} event. */
        public static Column of(CheckpointEvent e) {
            Objects.requireNonNull(e, "event");
            return new Column(e.id(), e.kind(), e.step(), e.tokens(), e.timestampMs(), e.tokensPerStream(), e.evalLoss());
        }
    }

    private final int maxColumnsPerKind;
    private final List<Column> columns;
    private final Map<Kind, Fold> dropped;

    /** An empty matrix keeping {@link #DEFAULT_MAX_COLUMNS_PER_KIND} columns per kind. */
    public LossMatrix() {
        this(DEFAULT_MAX_COLUMNS_PER_KIND);
    }

    /**
     * An empty matrix.
     *
     * @param maxColumnsPerKind columns kept per kind, {@code >= 1}
     */
    public LossMatrix(int maxColumnsPerKind) {
        this(check(maxColumnsPerKind), List.of(), emptyFolds());
    }

    private LossMatrix(int maxColumnsPerKind, List<Column> columns, Map<Kind, Fold> dropped) {
        this.maxColumnsPerKind = maxColumnsPerKind;
        this.columns = columns;
        this.dropped = dropped;
    }

    private static int check(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxColumnsPerKind must be >= 1, got " + max);
        }
        return max;
    }

    private static Map<Kind, Fold> emptyFolds() {
        Map<Kind, Fold> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            m.put(k, Fold.EMPTY);
        }
        return Collections.unmodifiableMap(m);
    }

    /** This matrix with the event's column appended, or replacing the kept column with its id. */
    public LossMatrix with(CheckpointEvent event) {
        return with(Column.of(event));
    }

    /** This matrix with the column appended, or replacing the kept column with its id. */
    public LossMatrix with(Column column) {
        Objects.requireNonNull(column, "column");
        List<Column> next = new ArrayList<>(columns);
        int at = indexOf(column.id());
        if (at >= 0) {
            next.set(at, column);
        } else {
            next.add(column);
        }
        Map<Kind, Fold> base = new EnumMap<>(dropped);
        Kind k = column.kind();
        long kept = next.stream().filter(c -> c.kind() == k).count();
        while (kept > maxColumnsPerKind) {
            for (int i = 0; i < next.size(); i++) {
                if (next.get(i).kind() == k) {
                    base.put(k, base.get(k).then(next.remove(i)));
                    kept--;
                    break;
                }
            }
        }
        return new LossMatrix(maxColumnsPerKind, List.copyOf(next), Collections.unmodifiableMap(base));
    }

    private int indexOf(String id) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Columns kept per kind. */
    public int maxColumnsPerKind() {
        return maxColumnsPerKind;
    }

    /** The kept columns, in arrival order (replacements keep their place). */
    public List<Column> columns() {
        return columns;
    }

    /** The kept columns of one kind, in arrival order. */
    public List<Column> columns(Kind kind) {
        return columns.stream().filter(c -> c.kind() == kind).toList();
    }

    /**
     * Every stream that has had a finite loss in any column ever added (dropped ones included,
     * so the list never shrinks when old columns go), sorted.
     */
    public List<String> streams() {
        TreeSet<String> all = new TreeSet<>();
        dropped.values().forEach(f -> all.addAll(f.tracks().keySet()));
        columns.forEach(c -> all.addAll(c.loss().keySet()));
        return List.copyOf(all);
    }

    /** The finite loss of {@code stream} at kept column {@code id}; empty when there is none. */
    public OptionalDouble loss(String stream, String id) {
        int at = indexOf(id);
        if (at < 0) {
            return OptionalDouble.empty();
        }
        Double v = columns.get(at).loss().get(stream);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The summary of every column of {@code kind} ever added: dropped ones, then kept ones. */
    Fold fold(Kind kind) {
        Fold f = dropped.get(kind);
        for (Column c : columns) {
            if (c.kind() == kind) {
                f = f.then(c);
            }
        }
        return f;
    }

    /**
     * The body of {@code GET /v1/forgetting}:
     * <pre>{@code
     * {"streams": ["code", ...],
     *  "checkpoints": [{"id", "kind", "step", "tokens", "timestampMs", "loss": {stream: value}}, ...],
     *  "forgetting": {...ForgettingReport#toJsonNode...}}
     * }</pre>
     * Checkpoints are the kept columns in arrival order; {@code loss} holds the finite losses only.
     */
    public byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode streams = root.putArray("streams");
        streams().forEach(streams::add);
        ArrayNode checkpoints = root.putArray("checkpoints");
        for (Column c : columns) {
            ObjectNode n = checkpoints.addObject();
            n.put("id", c.id());
            n.put("kind", c.kind().word());
            n.put("step", c.step());
            n.put("tokens", c.tokens());
            n.put("timestampMs", c.timestampMs());
            ObjectNode loss = n.putObject("loss");
            c.loss().forEach(loss::put);
        }
        root.set("forgetting", Forgetting.of(this).toJsonNode());
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the loss matrix as JSON", e);
        }
    }
}
