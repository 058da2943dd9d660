package dev.cpt.trainer.telemetry;

import dev.cpt.core.format.TelemetryEvent;
import dev.cpt.core.metrics.TelemetryMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trainer's own meters: the learning meters every telemetry event updates
 * ({@link TelemetryMeters}, shared with the monitor) plus what only this process sees: the step
 * time, skipped steps and whether it waits for data.
 */
public final class TrainerMeters {

    private final TelemetryMeters learning;
    private final Timer stepTimer;
    private final Counter skipped;
    private final AtomicLong waiting = new AtomicLong();

    public TrainerMeters(MeterRegistry registry) {
        this.learning = new TelemetryMeters(registry);
        this.stepTimer = Timer.builder("cpt.trainer.step").description("Time of one training step, data to optimizer").register(registry);
        this.skipped = Counter.builder("cpt.trainer.skipped.steps").description("Steps skipped for a non-finite loss or gradient")
                .register(registry);
        Gauge.builder("cpt.trainer.waiting", waiting, AtomicLong::get)
                .description("1 while the trainer is idle for lack of data, else 0").register(registry);
    }

    public void step(Duration d) {
        stepTimer.record(d);
    }

    public void skippedStep() {
        skipped.increment();
    }

    public void waiting(boolean idle) {
        waiting.set(idle ? 1 : 0);
    }

    /** Updates every learning meter from the event. */
    public void update(TelemetryEvent e) {
        learning.update(e);
    }
}
