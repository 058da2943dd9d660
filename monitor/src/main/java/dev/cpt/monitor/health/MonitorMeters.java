package dev.cpt.monitor.health;

import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.format.TelemetryEvent;
import dev.cpt.core.store.Manifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The monitor's own meters (docs/metrics.md): schedule phase, freshness of telemetry and
 * checkpoints, consumer lag, dead letters by reason, promotions, and the last branch's predicted
 * and actual loss. Ages are computed at scrape time from the wall clock.
 */
public final class MonitorMeters {

    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final Map<String, AtomicReference<Double>> phases = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, double[]> lags = new ConcurrentHashMap<>();
    private final Map<Manifest.Kind, long[]> newest = new ConcurrentHashMap<>();
    private final long[] lastTelemetryMs = {0};
    private final double[] branch = {Double.NaN, Double.NaN};
    private final Counter promoted;
    private final Counter refused;

    public MonitorMeters(MeterRegistry registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("cpt.monitor.telemetry.age", lastTelemetryMs, t -> t[0] == 0 ? Double.NaN : (clock.getAsLong() - t[0]) / 1000.0)
                .description("Time since the last telemetry event of the trainer (NaN before the first)").baseUnit("seconds")
                .register(registry);
        for (Manifest.Kind k : Manifest.Kind.values()) {
            long[] holder = {0};
            newest.put(k, holder);
            Gauge.builder("cpt.monitor.checkpoint.age", holder, t -> t[0] == 0 ? Double.NaN : (clock.getAsLong() - t[0]) / 1000.0)
                    .description("Time since the newest checkpoint of this kind was made (NaN before the first)").baseUnit("seconds")
                    .tag("kind", k.word()).register(registry);
        }
        Gauge.builder("cpt.branch.loss.predicted", branch, b -> b[0])
                .description("Mean eval loss the loss law predicted for the newest branch before it ran (NaN: none)").register(registry);
        Gauge.builder("cpt.branch.loss.actual", branch, b -> b[1])
                .description("Mean eval loss the newest branch reached").register(registry);
        promoted = Counter.builder("cpt.monitor.promotions").description("Promotion-gate decisions on decayed checkpoints")
                .tag("outcome", "promoted").register(registry);
        refused = Counter.builder("cpt.monitor.promotions").description("Promotion-gate decisions on decayed checkpoints")
                .tag("outcome", "refused").register(registry);
    }

    public void telemetry(TelemetryEvent e) {
        lastTelemetryMs[0] = Math.max(lastTelemetryMs[0], e.timestampMs());
        String now = e.phase() == null ? "unknown" : e.phase();
        phases.computeIfAbsent(now, p -> {
            AtomicReference<Double> holder = new AtomicReference<>(0.0);
            Gauge.builder("cpt.trainer.phase", holder, AtomicReference::get)
                    .description("1 for the main run's current schedule phase, 0 for the others seen").tag("phase", p)
                    .register(registry);
            return holder;
        });
        phases.forEach((p, holder) -> holder.set(p.equals(now) ? 1.0 : 0.0));
    }

    public void checkpoint(CheckpointEvent e) {
        long[] holder = newest.get(e.kind());
        holder[0] = Math.max(holder[0], e.timestampMs());
        if (e.kind() == Manifest.Kind.DECAYED && e.timestampMs() >= holder[0]) {
            branch[0] = e.predictedLoss() == null ? Double.NaN : e.predictedLoss();
            branch[1] = Manifest.mean(e.evalLoss());
        }
    }

    public void deadLetter(String reason) {
        deadLetters.computeIfAbsent(reason, r -> Counter.builder("cpt.monitor.dlq.records")
                .description("Documents the ingest dead-lettered, by reason code").tag("reason", r).register(registry)).increment();
    }

    public void promotion(boolean wasPromoted) {
        (wasPromoted ? promoted : refused).increment();
    }

    /** The newest lag reading of {@code group} on {@code topic}; empty = unknown (NaN). */
    public void lag(String group, String topic, OptionalLong records) {
        double[] holder = lags.computeIfAbsent(group + "\u0000" + topic, k -> {
            double[] h = {Double.NaN};
            Gauge.builder("cpt.monitor.consumer.lag", h, x -> x[0]).description("Records the group is behind the end of the topic")
                    .baseUnit("records").tags("group", group, "topic", topic).register(registry);
            return h;
        });
        holder[0] = records.isPresent() ? records.getAsLong() : Double.NaN;
    }
}
