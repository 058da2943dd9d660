package dev.cpt.monitor.forgetting;

import dev.cpt.core.store.Manifest.Kind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A {@link ForgettingReport} as gauges (docs/metrics.md). Tags: {@code stream} and
 * {@code branch} ({@code main} or {@code decayed}, the checkpoint kind) only. No base units:
 * losses are nats, which are dimensionless.
 * <ul>
 *   <li>{@code cpt.eval.loss{stream,branch}}: now</li>
 *   <li>{@code cpt.eval.loss.best{stream,branch}}: best so far</li>
 *   <li>{@code cpt.forgetting{stream,branch}}: now - best</li>
 *   <li>{@code cpt.eval.loss.after.training{stream,branch}}: loss right after last trained on</li>
 *   <li>{@code cpt.backward.transfer{branch}}: backward transfer (NaN when no stream qualifies)</li>
 * </ul>
 * Each gauge is registered once, the first time its stream shows up in a kind (the backward
 * transfer gauges at construction); {@link #update} only sets values. A stream that a later
 * report no longer has reads NaN. Thread-safe: updates are serialised, scrapes read volatile
 * values.
 */
public final class ForgettingMeters {

    static final String LOSS = "cpt.eval.loss";
    static final String BEST = "cpt.eval.loss.best";
    static final String FORGETTING = "cpt.forgetting";
    static final String AFTER = "cpt.eval.loss.after.training";
    static final String BWT = "cpt.backward.transfer";

    /** A gauge's value; the registry holds gauges' objects weakly, so this class holds them. */
    static final class Holder {
        private volatile double value = Double.NaN;

        double get() {
            return value;
        }
    }

    /** The four per-stream values of one (stream, branch). */
    private static final class StreamHolders {
        final Holder now = new Holder();
        final Holder best = new Holder();
        final Holder forgetting = new Holder();
        final Holder after = new Holder();
    }

    private final MeterRegistry registry;
    private final Map<Kind, Map<String, StreamHolders>> streams = new EnumMap<>(Kind.class);
    private final Map<Kind, Holder> backwardTransfer = new EnumMap<>(Kind.class);

    public ForgettingMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (Kind k : Kind.values()) {
            streams.put(k, new HashMap<>());
            Holder h = new Holder();
            Gauge.builder(BWT, h, Holder::get)
                    .description("Backward transfer: -mean(now - after) over streams no longer trained on; "
                            + "positive = later training helped them, negative = forgetting; NaN when none qualifies")
                    .tag("branch", k.word()).register(registry);
            backwardTransfer.put(k, h);
        }
    }

    /** Sets every gauge from the report, registering those of streams seen for the first time. */
    public synchronized void update(ForgettingReport report) {
        Objects.requireNonNull(report, "report");
        for (Kind k : Kind.values()) {
            ForgettingReport.KindReport r = report.of(k);
            Map<String, StreamHolders> known = streams.get(k);
            r.streams().keySet().forEach(s -> known.computeIfAbsent(s, id -> register(id, k)));
            known.forEach((s, h) -> {
                StreamForgetting f = r.streams().get(s);
                h.now.value = f == null ? Double.NaN : f.now();
                h.best.value = f == null ? Double.NaN : f.best();
                h.forgetting.value = f == null ? Double.NaN : f.forgetting();
                h.after.value = f == null ? Double.NaN : f.after();
            });
            backwardTransfer.get(k).value = r.backwardTransfer();
        }
    }

    private StreamHolders register(String stream, Kind kind) {
        StreamHolders h = new StreamHolders();
        gauge(LOSS, "Held-out loss at the newest checkpoint of the branch kind (nats per token)", h.now, stream, kind);
        gauge(BEST, "Lowest held-out loss over every checkpoint of the branch kind so far", h.best, stream, kind);
        gauge(FORGETTING, "Forgetting: held-out loss now minus the best so far (>= 0)", h.forgetting, stream, kind);
        gauge(AFTER, "Held-out loss at the checkpoint where the stream was last trained on", h.after, stream, kind);
        return h;
    }

    private void gauge(String name, String description, Holder h, String stream, Kind kind) {
        ToDoubleFunction<Holder> read = Holder::get;
        Gauge.builder(name, h, read).description(description).tags("stream", stream, "branch", kind.word()).register(registry);
    }
}
