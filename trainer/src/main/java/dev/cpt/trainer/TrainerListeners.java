package dev.cpt.trainer;

import dev.cpt.core.store.Manifest;
import dev.cpt.trainer.branch.Brancher;
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

    /** A checkpoint (main or decayed) became durable; {@code path} is its folder relative to the store. */
    default void published(Trainer trainer, Manifest manifest, String path, String manifestSha256) {
    }

    /** The active branch took (or waited for) a step, finished or was aborted. */
    default void branchStepped(Trainer trainer, Brancher.Status status) {
    }

    TrainerListeners NONE = new TrainerListeners() {
    };
}
