package dev.cpt.trainer.listen;

import dev.cpt.trainer.Trainer;
import dev.cpt.trainer.step.StepResult;

/** Something done every so many steps: telemetry, evaluation, checkpoints. */
public interface StepListener {

    /** Pure: whether to run after step {@code step} (numbered from 1). */
    boolean shouldRun(long step);

    void run(Trainer trainer, StepResult last, double lr, long waitNs);
}
