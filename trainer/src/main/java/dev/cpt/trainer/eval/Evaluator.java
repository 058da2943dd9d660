package dev.cpt.trainer.eval;

import dev.cpt.core.format.TokenSequence;
import dev.cpt.trainer.step.TrainStep;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Held-out loss of a model on frozen eval sets: the same measure for the main run and every branch. */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * Mean next-token loss (nats/token) per stream over its whole eval set, forward only, in chunks
     * of {@code batch} sequences; streams with an empty set are left out.
     */
    public static Map<String, Double> meanLoss(EvalSets sets, TrainStep model, int batch) {
        Map<String, Double> out = new TreeMap<>();
        for (String stream : sets.streams()) {
            List<TokenSequence> set = sets.of(stream);
            double sum = 0;
            int rows = 0;
            for (int i = 0; i < set.size(); i += batch) {
                List<TokenSequence> chunk = set.subList(i, Math.min(set.size(), i + batch));
                int[][] tokens = chunk.stream().map(TokenSequence::tokens).toArray(int[][]::new);
                sum += model.evalLoss(tokens) * tokens.length;
                rows += tokens.length;
            }
            if (rows > 0) {
                out.put(stream, sum / rows);
            }
        }
        return out;
    }

}
