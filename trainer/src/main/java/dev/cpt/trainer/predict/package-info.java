/**
 * Predicting eval loss from the learning-rate history, with the loss-curve law of Tissue et al.
 * 2024 ("Scaling Law with Learning Rate Annealing"):
 * {@code L(s) = L0 + A * S1^(-alpha) - C * S2}.
 *
 * <p>{@link dev.cpt.trainer.predict.LrIntegrals} accumulates the two areas {@code S1} (forward
 * area) and {@code S2} (annealing area) step by step; {@link dev.cpt.trainer.predict.LossLaw} is
 * the law itself; {@link dev.cpt.trainer.predict.LossLawFit} fits it to
 * {@link dev.cpt.trainer.predict.Observation observations} (the main run's eval history plus
 * finished decay branches), so that a decay branch's final loss can be predicted before it runs.
 * Pure Java values and functions: no DJL, no Kafka, no clocks, no randomness.
 */
package dev.cpt.trainer.predict;
