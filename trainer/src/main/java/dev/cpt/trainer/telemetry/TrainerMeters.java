package dev.cpt.trainer.telemetry;

import dev.cpt.core.format.TelemetryEvent;
import dev.cpt.core.metrics.TelemetryMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The trainer's own meters: the learning meters every telemetry event updates
 * ({@link TelemetryMeters}, shared with the monitor: loss, lr, skipped steps, waiting, ...) plus
 * what only this process sees: the time of each step.
 */
public final class TrainerMeters {

    private final TelemetryMeters learning;
    private final Timer stepTimer;

    public TrainerMeters(MeterRegistry registry) {
        this.learning = new TelemetryMeters(registry);
        this.stepTimer = Timer.builder("cpt.trainer.step").description("Time of one training step, data to optimizer").register(registry);
    }

    public void step(Duration d) {
        stepTimer.record(d);
    }

    /** Updates every learning meter from the event. */
    public void update(TelemetryEvent e) {
        learning.update(e);
    }
}
