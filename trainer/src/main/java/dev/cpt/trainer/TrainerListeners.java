package dev.cpt.trainer;

import dev.cpt.trainer.step.StepResult;

/** What the trainer tells the outside world; every method has a do-nothing default. */
public interface TrainerListeners {

    /** The trainer is open (fresh or resumed). */
    default void opened(Trainer trainer) {
    }

    /** Whether the trainer waits for data (true) or trains (false); called every iteration. */
    default void waiting(Trainer trainer, boolean idle) {
    }

    /** Whether the step that is about to be taken (numbered from 1) should collect per-group statistics. */
    default boolean wantsStats(long step) {
        return false;
    }

    /** A step was taken (or skipped by the guard); {@code waitNs} is the time spent filling the batch. */
    default void stepped(Trainer trainer, StepResult result, double lr, long waitNs) {
    }

    TrainerListeners NONE = new TrainerListeners() {
    };
}
