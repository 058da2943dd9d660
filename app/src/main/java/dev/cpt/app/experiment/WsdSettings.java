package dev.cpt.app.experiment;

import dev.cpt.trainer.model.GptConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code cpt experiment wsd} runs. {@link #check()} names the first bad option and what it allows.
 *
 * @param corpus training corpus (JSONL)
 * @param heldout held-out corpus (JSONL)
 * @param branches branches forked off the main run, at main steps {@code k * steps / branches}
 * @param compareCosine also train a cosine-schedule run to the last branch's step count
 * @param preset model preset
 * @param steps main-run steps
 * @param batch sequences per step
 * @param context tokens per sequence the model sees (sequences are context + 1 tokens)
 * @param lr peak learning rate
 * @param warmup linear warmup steps (both runs)
 * @param evalSequences held-out sequences per stream in the frozen eval set
 * @param evalEvery evaluate the main run every N steps (progress and the loss law's points); 0 = only at forks
 * @param seed weights, data shuffle (if any), everything random
 * @param threads engine threads, 0 = every core
 * @param decayFraction branch decay length as a fraction of the steps since the previous fork
 * @param shuffle shuffle the training documents (seeded) instead of the file's order
 */
record WsdSettings(Path corpus, Path heldout, int branches, boolean compareCosine, String preset, long steps, int batch, int context,
                   double lr, long warmup, int evalSequences, long evalEvery, long seed, int threads, double decayFraction,
                   boolean shuffle) {

    /** The main-run step of branch {@code k} (1-based). */
    long forkStep(int k) {
        return (long) k * steps / branches;
    }

    /** Decay steps of branch {@code k}, as the trainer computes them from the steps since the previous fork. */
    long decaySteps(int k) {
        return Math.max(1, Math.round(decayFraction * (forkStep(k) - forkStep(k - 1))));
    }

    /** Steps behind the last branch: its fork step plus its decay. The cosine run trains this many. */
    long lastBranchSteps() {
        return forkStep(branches) + decaySteps(branches);
    }

    /** Training sequences the experiment consumes: the main run's and the last branch's decay (= the cosine run's). */
    long sequencesNeeded() {
        return lastBranchSteps() * batch;
    }

    /** @throws IllegalArgumentException naming the option, the value and what is allowed */
    WsdSettings check() {
        List<String> problems = new ArrayList<>();
        if (!GptConfig.PRESETS.contains(preset)) {
            problems.add("--preset must be one of " + String.join(", ", GptConfig.PRESETS) + ": '" + preset + "'");
        }
        if (branches < 1 || branches > 100) {
            problems.add("--branches must be between 1 and 100: " + branches);
        }
        if (steps < 1 || steps > 10_000_000) {
            problems.add("--steps must be between 1 and 10000000: " + steps);
        }
        if (batch < 1 || batch > 4096) {
            problems.add("--batch must be between 1 and 4096: " + batch);
        }
        if (context < 2 || context > 8192) {
            problems.add("--context must be between 2 and 8192: " + context);
        }
        if (!(lr > 0 && lr <= 1)) {
            problems.add("--lr must be > 0 and at most 1: " + lr);
        }
        if (warmup < 0) {
            problems.add("--warmup must be >= 0: " + warmup);
        }
        if (evalSequences < 1 || evalSequences > 100_000) {
            problems.add("--eval-sequences must be between 1 and 100000: " + evalSequences);
        }
        if (evalEvery < 0) {
            problems.add("--eval-every must be >= 0 (0 = only at forks): " + evalEvery);
        }
        if (threads < 0 || threads > 1024) {
            problems.add("--threads must be between 0 (every core) and 1024: " + threads);
        }
        if (!(decayFraction > 0 && decayFraction <= 1)) {
            problems.add("--decay-fraction must be > 0 and at most 1: " + decayFraction);
        }
        if (problems.isEmpty() && steps / branches < 1) {
            problems.add("--steps (" + steps + ") must be at least --branches (" + branches + "): every branch needs main steps"
                    + " of its own");
        }
        if (problems.isEmpty() && warmup >= forkStep(1)) {
            problems.add(String.format(Locale.ROOT, "--warmup (%d) must be below the first fork at step %d (--steps / --branches):"
                    + " a branch decays from the stable learning rate", warmup, forkStep(1)));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return this;
    }
}
