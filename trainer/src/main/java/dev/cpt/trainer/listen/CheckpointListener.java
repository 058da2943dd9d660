package dev.cpt.trainer.listen;

import dev.cpt.trainer.Trainer;
import dev.cpt.trainer.step.StepResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Main checkpoints every {@code everySteps} steps, and at least every {@code interval} of wall time
 * while training. The step rule is pure; the time rule reads the clock once per step.
 */
public final class CheckpointListener implements StepListener {

    private static final Logger log = LoggerFactory.getLogger(CheckpointListener.class);

    private final long everySteps;
    private final long intervalNanos;
    private final LongSupplier clock;
    private long lastNanos;

    public CheckpointListener(long everySteps, Duration interval, LongSupplier nanoClock) {
        this.everySteps = everySteps;
        this.intervalNanos = interval.toNanos();
        this.clock = nanoClock;
        this.lastNanos = nanoClock.getAsLong();
    }

    @Override
    public boolean shouldRun(long step) {
        return (everySteps > 0 && step % everySteps == 0) || clock.getAsLong() - lastNanos >= intervalNanos;
    }

    @Override
    public void run(Trainer trainer, StepResult last, double lr, long waitNs) {
        long t0 = System.nanoTime();
        try {
            var dir = trainer.checkpoint();
            log.info("checkpoint {} written in {} ms", dir.getFileName(), (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint at step " + trainer.stepCount() + " failed", e);
        }
        lastNanos = clock.getAsLong();
    }
}
