package dev.cpt.trainer.branch;

import dev.cpt.trainer.eval.EvalSets;
import dev.cpt.trainer.predict.LrIntegrals;
import dev.cpt.trainer.predict.Observation;
import dev.cpt.trainer.replay.ReplayBuffer;
import dev.cpt.trainer.schedule.Schedule;
import dev.cpt.trainer.step.TrainStep;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The main run as a branch sees it at the fork: read-only views and values. A branch copies the
 * weights and optimizer state out of {@code main} and never writes to anything here.
 *
 * @param step the main run's step count at the fork (the first decay step uses {@code schedule.lr(step)})
 * @param tokens tokens the main run trained on
 * @param tokensPerStream fresh tokens the main run trained on, by stream
 * @param schedule the main run's schedule
 * @param main the main run's model and optimizer
 * @param replay the replay reservoir (read only)
 * @param replayWeights the main run's replay weights
 * @param evalSets the frozen eval sets
 * @param mainEval the main run's held-out loss at the fork
 * @param tokenizer tokenizer id of the data
 * @param model model configuration for the manifest
 * @param integrals the main run's learning-rate integrals (loss law) at the fork
 * @param observations the loss-law history: main-run evaluations and finished branches
 * @param upcoming opens a consumer of the data after the fork
 */
public record ForkPoint(long step, long tokens, Map<String, Long> tokensPerStream, Schedule schedule, TrainStep main,
                        ReplayBuffer replay, Map<String, Double> replayWeights, EvalSets evalSets, Map<String, Double> mainEval,
                        String tokenizer, Map<String, Long> model, LrIntegrals integrals, List<Observation> observations,
                        Supplier<BranchSource.Upcoming> upcoming) {
}
