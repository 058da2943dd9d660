package dev.cpt.core.config;

import java.time.Duration;

/** The monitor: metrics from telemetry and checkpoints, the checkpoint registry, the promotion gate. */
public final class MonitorSettings {

    public static final Setting<Double> PROMOTION_MAX_REGRESSION = Setting.of("cpt.monitor.promotion.max.regression", ValueType.DOUBLE,
            0.01, "A decayed checkpoint becomes 'latest' only if no stream's eval loss is worse than latest's by more than this"
                    + " fraction (and it improved the newest stream).", Rule.between(0.0, 10.0));

    public static final Setting<String> TRAINER_URL = Setting.of("cpt.monitor.trainer.url", ValueType.STRING, "",
            "Base URL of the trainer's HTTP server, where POST /v1/branches is forwarded; empty = refuse with 503"
                    + " (cpt standalone sets it).", Rule.matches("|https?://\\S+", "empty or an http(s):// URL"));

    public static final Setting<Boolean> PROTECT_METRICS = Setting.of("cpt.monitor.protect.metrics", ValueType.BOOLEAN, false,
            "Require a read token for /metrics and /healthz too (they are open by default, for Prometheus and probes).");

    public static final Setting<Duration> LONG_POLL_MAX = Setting.of("cpt.monitor.long.poll.max", ValueType.DURATION_TYPE,
            Duration.ofSeconds(60), "Longest ?wait= a client may ask of GET /v1/aliases/{alias}.",
            Rule.atLeast(Duration.ofSeconds(1)));

    public static final Setting<Duration> LAG_INTERVAL = Setting.of("cpt.monitor.lag.interval", ValueType.DURATION_TYPE,
            Duration.ofSeconds(15), "How often consumer lag of the trainer and the ingest is read from the cluster.",
            Rule.atLeast(Duration.ofSeconds(1)));

    private MonitorSettings() {
    }
}
