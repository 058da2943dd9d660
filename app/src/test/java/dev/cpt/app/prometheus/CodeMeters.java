package dev.cpt.app.prometheus;

import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.format.TelemetryEvent;
import dev.cpt.core.store.Manifest.Kind;
import dev.cpt.monitor.forgetting.ForgettingMeters;
import dev.cpt.monitor.forgetting.ForgettingReport;
import dev.cpt.monitor.forgetting.StreamForgetting;
import dev.cpt.monitor.health.MonitorMeters;
import dev.cpt.trainer.telemetry.TrainerMeters;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The project's own meter classes in one registry, given known values: the trainer's
 * ({@link TrainerMeters}: learning meters, step timer, skipped steps, waiting), the monitor's
 * ({@link MonitorMeters}, {@link ForgettingMeters}). Holds them, since a registry holds gauge
 * objects weakly.
 */
final class CodeMeters {

    static final String STREAM = "x";
    static final String GROUP = "attn.qkv";
    static final double FORGETTING_DECAYED = 0.25;
    static final double LR_EFFECTIVE = 1.5e-4;
    static final double TRAINER_LOSS = 3.2;
    static final long STEPS = 100;

    final TrainerMeters trainer;
    final MonitorMeters monitor;
    final ForgettingMeters forgetting;

    CodeMeters(MeterRegistry registry) {
        long now = System.currentTimeMillis();
        TelemetryEvent event = new TelemetryEvent(now, STEPS, 51_200, Map.of(STREAM, 51_200L), TRAINER_LOSS, 6e-4, "stable",
                0.9, 12_000, 0.31, Map.of(), Map.of(GROUP, new TelemetryEvent.GroupStats(2.0, 1e-3, LR_EFFECTIVE)), 0, false);

        trainer = new TrainerMeters(registry);
        trainer.update(event);
        trainer.step(Duration.ofMillis(40));

        monitor = new MonitorMeters(registry, System::currentTimeMillis);
        monitor.telemetry(event);
        // a main checkpoint a minute ago, no decayed one yet
        monitor.checkpoint(new CheckpointEvent(now - 60_000, "main-100", Kind.MAIN, STEPS, STEPS, 51_200, Map.of(STREAM, 51_200L),
                Map.of(STREAM, 3.3), null, "checkpoints/main-100", "0".repeat(64)));
        monitor.lag("cpt-trainer", "cpt.sequences", OptionalLong.of(12));
        monitor.lag("cpt-ingest", "cpt.docs", OptionalLong.of(0));
        monitor.deadLetter("oversize");
        monitor.promotion(true);

        forgetting = new ForgettingMeters(registry);
        forgetting.update(new ForgettingReport(Map.of(
                Kind.MAIN, new ForgettingReport.KindReport("main-100",
                        Map.of(STREAM, new StreamForgetting(STREAM, 3.3, 3.3, 0.0, 3.3, "main-100", true)), Double.NaN),
                Kind.DECAYED, new ForgettingReport.KindReport("decayed-90",
                        Map.of(STREAM, new StreamForgetting(STREAM, 3.25, 3.0, FORGETTING_DECAYED, 3.1, "decayed-80", false)), -0.15))));
    }
}
