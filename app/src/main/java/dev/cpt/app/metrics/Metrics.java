package dev.cpt.app.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Set;

/**
 * The process's meter registry: Prometheus text, JVM and process meters, and Kafka client meters
 * trimmed to the few an operator reads (one producer, consumer and Streams thread would otherwise
 * add about 500 series).
 */
public final class Metrics implements AutoCloseable {

    /** Kafka client meters kept, by the metric name that ends the meter name. */
    static final Set<String> KAFKA_KEPT = Set.of(
            "connection.count", "connection.creation.rate", "request.rate", "request.latency.avg",
            "response.rate", "incoming.byte.rate", "outgoing.byte.rate", "io.wait.ratio", "network.io.rate",
            "record.send.rate", "record.error.rate", "request.latency.max", "produce.throttle.time.avg",
            "records.consumed.rate", "records.lag.max", "fetch.latency.avg", "commit.latency.avg",
            "process.rate", "process.latency.avg", "commit.rate", "poll.rate", "failed.stream.threads", "alive.stream.threads");

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    public Metrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(trimKafka());
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    static MeterFilter trimKafka() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                String name = id.getName();
                if (!name.startsWith("kafka.")) {
                    return MeterFilterReply.NEUTRAL;
                }
                // names are kafka.<group>.<metric>, and groups contain dots too: match on the metric suffix
                for (String kept : KAFKA_KEPT) {
                    if (name.endsWith("." + kept)) {
                        return MeterFilterReply.ACCEPT;
                    }
                }
                return MeterFilterReply.DENY;
            }
        };
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
