package dev.cpt.trainer.listen;

import dev.cpt.trainer.Trainer;
import dev.cpt.trainer.TrainerListeners;
import dev.cpt.trainer.step.StepResult;

import java.util.List;

/** Runs each {@link StepListener} after the steps it asks for, in order; also forwards waiting and stats requests. */
public final class Listeners implements TrainerListeners {

    private final List<StepListener> listeners;
    private final TelemetryListener telemetry;

    public Listeners(TelemetryListener telemetry, List<StepListener> others) {
        this.telemetry = telemetry;
        this.listeners = telemetry == null ? List.copyOf(others)
                : java.util.stream.Stream.concat(java.util.stream.Stream.of((StepListener) telemetry), others.stream()).toList();
    }

    @Override
    public void waiting(Trainer trainer, boolean idle) {
        if (telemetry != null) {
            telemetry.waiting(idle);
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
