package dev.cpt.core.metrics;

import dev.cpt.core.format.TelemetryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The learning meters of DESIGN.md, made from {@link TelemetryEvent}s alone: the trainer keeps
 * them on its own {@code /metrics}, the monitor rebuilds them from {@code cpt.telemetry}, and both
 * mean the same thing by the same name (docs/metrics.md). Tags: stream ids and parameter groups only.
 */
public final class TelemetryMeters {

    private final MeterRegistry registry;
    private final Map<String, Counter> tokensByStream = new ConcurrentHashMap<>();
    private final Map<String, Long> tokensSeen = new ConcurrentHashMap<>();
    private final Map<String, double[]> groups = new ConcurrentHashMap<>();
    private volatile TelemetryEvent last;

    public TelemetryMeters(MeterRegistry registry) {
        this.registry = registry;
        gauge("cpt.trainer.loss", "Mean training loss since the previous telemetry event", null, e -> e.loss());
        gauge("cpt.trainer.lr", "Learning rate of the main run", null, e -> e.lr());
        gauge("cpt.trainer.steps", "Optimizer steps taken by the main run", "steps", e -> e.step());
        gauge("cpt.trainer.grad.norm", "Global gradient norm before clipping", null, e -> e.gradNorm());
        gauge("cpt.trainer.throughput", "Training throughput", "tokens.per.second", e -> e.tokensPerSecond());
        gauge("cpt.trainer.mfu", "Model FLOP utilisation estimate", "ratio", e -> e.mfu());
        gauge("cpt.trainer.waiting", "1 while the trainer is idle for lack of data, else 0", null, e -> e.waitingForData() ? 1 : 0);
        io.micrometer.core.instrument.FunctionCounter.builder("cpt.trainer.skipped.steps", this,
                        m -> m.last == null ? 0 : m.last.skippedSteps())
                .description("Steps skipped for a non-finite loss or gradient").register(registry);
    }

    private void gauge(String name, String description, String unit, ToDoubleFunction<TelemetryEvent> f) {
        Gauge.builder(name, this, m -> m.last == null ? Double.NaN : f.applyAsDouble(m.last))
                .description(description).baseUnit(unit).register(registry);
    }

    /** The last event applied, or null. */
    public TelemetryEvent last() {
        return last;
    }

    /** Updates every gauge and per-stream counter from the event. */
    public void update(TelemetryEvent e) {
        last = e;
        e.tokensPerStream().forEach((stream, total) -> {
            long before = tokensSeen.getOrDefault(stream, 0L);
            if (total > before) {
                tokensByStream.computeIfAbsent(stream, s -> Counter.builder("cpt.trainer.tokens")
                        .description("Fresh tokens trained on").baseUnit("tokens").tag("stream", s).register(registry))
                        .increment(total - before);
                tokensSeen.put(stream, total);
            }
        });
        e.groups().forEach((group, stats) -> {
            double[] v = groups.computeIfAbsent(group, g -> {
                double[] holder = new double[3];
                Gauge.builder("cpt.trainer.weight.norm", holder, h -> h[0]).description("||w|| of a parameter group")
                        .tag("group", g).register(registry);
                Gauge.builder("cpt.trainer.update.ratio", holder, h -> h[1]).description("||dw|| / ||w|| of the last update")
                        .tag("group", g).register(registry);
                Gauge.builder("cpt.trainer.lr.effective", holder, h -> h[2]).description("Effective learning rate lr / ||w||^2")
                        .tag("group", g).register(registry);
                return holder;
            });
            v[0] = stats.weightNorm();
            v[1] = stats.updateRatio();
            v[2] = stats.effectiveLr();
        });
    }
}
