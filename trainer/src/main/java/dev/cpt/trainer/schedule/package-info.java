/**
 * Learning-rate schedules as pure values: {@link dev.cpt.trainer.schedule.Schedule#lr(long)} is a
 * function of the step alone, so a checkpoint stores only the step.
 *
 * <p>The main run is {@link dev.cpt.trainer.schedule.Schedule#wsd warmup then constant}; a decayed
 * checkpoint comes from a branch {@link dev.cpt.trainer.schedule.Schedule#decayFrom decaying from
 * its fork step}; a new stream may get a {@link dev.cpt.trainer.schedule.Schedule#withRewarm rewarm};
 * {@link dev.cpt.trainer.schedule.Schedule#infinite} and
 * {@link dev.cpt.trainer.schedule.Schedule#wsdc} are the literature's alternatives. Decay shapes
 * and their formulas are in {@link dev.cpt.trainer.schedule.Shape}. Pure Java: no DJL, no Kafka.
 */
package dev.cpt.trainer.schedule;
