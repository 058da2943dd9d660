package dev.cpt.trainer.listen;

import dev.cpt.core.store.Manifest;
import dev.cpt.trainer.Trainer;
import dev.cpt.trainer.TrainerListeners;
import dev.cpt.trainer.branch.Brancher;
import dev.cpt.trainer.step.StepResult;

import java.util.List;

/**
 * Runs each {@link StepListener} after the steps it asks for, in order; forwards waiting and stats
 * requests to the telemetry, and openings, publications and branch steps to {@code events}.
 */
public final class Listeners implements TrainerListeners {

    private final List<StepListener> listeners;
    private final TelemetryListener telemetry;
    private final TrainerListeners events;

    public Listeners(TelemetryListener telemetry, List<StepListener> others) {
        this(telemetry, others, TrainerListeners.NONE);
    }

    public Listeners(TelemetryListener telemetry, List<StepListener> others, TrainerListeners events) {
        this.telemetry = telemetry;
        this.events = events;
        this.listeners = telemetry == null ? List.copyOf(others)
                : java.util.stream.Stream.concat(java.util.stream.Stream.of((StepListener) telemetry), others.stream()).toList();
    }

    @Override
    public void opened(Trainer trainer) {
        events.opened(trainer);
    }

    @Override
    public void published(Trainer trainer, Manifest manifest, String path, String manifestSha256) {
        events.published(trainer, manifest, path, manifestSha256);
    }

    @Override
    public void branchStepped(Trainer trainer, Brancher.Status status) {
        if (telemetry != null) {
            telemetry.heartbeat(trainer, "branch");
        }
        events.branchStepped(trainer, status);
    }

    @Override
    public void waiting(Trainer trainer, boolean idle) {
        if (telemetry != null) {
            telemetry.waiting(trainer, idle);
        }
    }

    @Override
    public boolean wantsStats(long step) {
        return telemetry != null && telemetry.shouldRun(step);
    }

    @Override
    public void stepped(Trainer trainer, StepResult result, double lr, long waitNs) {
        if (telemetry != null) {
            telemetry.accumulate(trainer, result, waitNs);
        }
        long step = trainer.stepCount();
        for (StepListener l : listeners) {
            if (l.shouldRun(step)) {
                l.run(trainer, result, lr, waitNs);
            }
        }
    }
}
