/**
 * One training step and forward-only evaluation of a {@link dev.cpt.trainer.model.Gpt} with its
 * {@link dev.cpt.trainer.optim.AdamW}: {@link dev.cpt.trainer.step.TrainStep} keeps native memory
 * flat (one sub-manager per step), skips and reports non-finite steps, and returns a
 * {@link dev.cpt.trainer.step.StepResult} with loss, gradient norm and phase timings.
 */
package dev.cpt.trainer.step;
