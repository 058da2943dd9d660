package dev.cpt.app.experiment;

import dev.cpt.app.Main;
import dev.cpt.ingest.bench.CorpusException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cpt experiment wsd}: experiments that show on real text what cpt's schedule does. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Experiments on real text that show what cpt's training schedule does.",
        subcommands = {ExperimentCommand.Wsd.class})
public final class ExperimentCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final String TRAIN_SUFFIX = ".train.jsonl";
    static final String HELDOUT_SUFFIX = ".heldout.jsonl";

    @Command(name = "wsd", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Decayed branches against the main run they fork from, and against a cosine schedule.",
                    "%nOn a throw-away embedded broker and store: packs --corpus with the byte tokenizer into sequences of "
                            + "--context + 1 tokens (as the ingest does) and a frozen eval set of --eval-sequences per stream, evenly "
                            + "spaced over --heldout. The main run trains at a constant learning rate after --warmup (schedule wsd, no "
                            + "replay). At main steps k x --steps / --branches (k = 1..N) it forks branch k: a one-minus-sqrt decay of "
                            + "the learning rate to 0 over --decay-fraction of the main steps since the previous fork, on the data "
                            + "that comes next; the main run is paused until the branch is evaluated and published.",
                    "%nWith --compare-cosine a second run, from the same initial weights on the same data in the same order, "
                            + "warms up the same way and then follows a cosine from the peak to 0 exactly at the last branch's step "
                            + "count (its fork step + its decay steps), and is evaluated there.",
                    "%nProgress goes to stderr; the table to stdout, per branch: the main run's mean eval loss at the fork, the "
                            + "branch's after its decay, the loss law's prediction (n/a until a branch has finished: the law needs "
                            + "one to fit its annealing term) and the tokens behind the branch. Also: non-finite steps the guard "
                            + "skipped, and where the time went (main steps against branch decay steps, copy, evaluation, "
                            + "publication). The last line is "
                            + "branches_beating_main=<k>/<n> last_branch_vs_cosine=<last branch loss / cosine loss, or n/a>.",
                    "%nThe defaults (small model, 1000 steps of 16 x 128 tokens at a peak learning rate of 3e-3, 3 branches, "
                            + "cosine) take about 12-15 minutes on 2 idle CPU cores."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every run finished and the table is printed (whatever the losses)",
                    "1:a run did not finish (an aborted branch, data that stopped arriving; the reason is on stderr)",
                    "2:bad options, or a corpus that is missing, malformed or too small"})
    static final class Wsd implements Callable<Integer> {

        @Option(names = "--corpus", paramLabel = "FILE", required = true,
                description = "Training corpus: JSONL, one {\"id\",\"stream\",\"text\"} per line (e.g. en-sotu.train.jsonl).")
        Path corpus;

        @Option(names = "--heldout", paramLabel = "FILE",
                description = "Held-out corpus, same format (default: the sibling *" + HELDOUT_SUFFIX + " of a *" + TRAIN_SUFFIX
                        + " --corpus).")
        Path heldout;

        @Option(names = "--branches", paramLabel = "N", defaultValue = "3",
                description = "Branches forked off the main run, evenly over its steps (default: ${DEFAULT-VALUE}).")
        int branches;

        @Option(names = "--compare-cosine", description = "Also train a cosine-schedule run to the last branch's step count.")
        boolean compareCosine;

        @Option(names = "--steps", paramLabel = "N", defaultValue = "1000",
                description = "Main-run steps; the last branch forks at the last one (default: ${DEFAULT-VALUE}).")
        long steps;

        @Option(names = "--batch", paramLabel = "B", defaultValue = "16",
                description = "Sequences per step (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--context", paramLabel = "T", defaultValue = "128",
                description = "Tokens the model sees per sequence; sequences are T + 1 tokens (default: ${DEFAULT-VALUE}).")
        int context;

        @Option(names = "--lr", paramLabel = "LR", defaultValue = "3e-3",
                description = "Peak learning rate, constant in the main run after warmup (default: ${DEFAULT-VALUE}).")
        double lr;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "30",
                description = "Linear warmup steps of both runs; below the first fork (default: ${DEFAULT-VALUE}).")
        long warmup;

        @Option(names = "--decay-fraction", paramLabel = "F", defaultValue = "0.2",
                description = "A branch's decay length as a fraction of the main steps since the previous fork, in (0, 1]"
                        + " (default: ${DEFAULT-VALUE}, as cpt.branch.decay.fraction).")
        double decayFraction;

        @Option(names = "--eval-sequences", paramLabel = "N", defaultValue = "128",
                description = "Held-out sequences per stream in the frozen eval set (default: ${DEFAULT-VALUE}).")
        int evalSequences;

        @Option(names = "--eval-every", paramLabel = "N", defaultValue = "50",
                description = "Evaluate the main run every N steps (progress, and the points the loss law is fitted on);"
                        + " 0 = only at the forks (default: ${DEFAULT-VALUE}).")
        long evalEvery;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1234",
                description = "Seed of the initial weights (the same for both runs) and of --shuffle (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--threads", paramLabel = "T", defaultValue = "0",
                description = "Engine threads; 0 = every core (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--shuffle", description = "Shuffle the training documents (seeded) instead of keeping the file's order.")
        boolean shuffle;

        @Option(names = "--preset", paramLabel = "NAME", defaultValue = "small", hidden = true,
                description = "Model preset: tiny (tests), small or base (default: ${DEFAULT-VALUE}).")
        String preset;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            WsdSettings settings;
            try {
                settings = new WsdSettings(corpus, heldoutFile(), branches, compareCosine, preset, steps, batch, context, lr, warmup,
                        evalSequences, evalEvery, seed, threads, decayFraction, shuffle).check();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ExperimentCorpus[] corpora;
            try {
                corpora = WsdExperiment.corpora(settings);
            } catch (CorpusException e) {
                err.println("cpt: experiment wsd: " + e.getMessage());
                err.flush();
                return Main.EXIT_CONFIG;
            }
            WsdExperiment.Result result;
            try {
                result = new WsdExperiment(settings, line -> {
                    err.println(line);
                    err.flush();
                }).run(corpora[0], corpora[1]);
            } catch (WsdExperiment.Failure | IllegalStateException e) {
                // IllegalStateException: the trainer gave up, e.g. non-finite steps in a row with no checkpoint to roll back to
                err.println("cpt: experiment wsd: " + e.getMessage());
                err.flush();
                return 1;
            }
            WsdReport.lines(result).forEach(out::println);
            out.flush();
            return 0;
        }

        private Path heldoutFile() {
            if (heldout != null) {
                return heldout;
            }
            String name = corpus.getFileName() == null ? "" : corpus.getFileName().toString();
            if (!name.endsWith(TRAIN_SUFFIX)) {
                throw new IllegalArgumentException("--heldout is needed: --corpus " + corpus + " does not end in " + TRAIN_SUFFIX
                        + ", so there is no sibling " + HELDOUT_SUFFIX + " to default to");
            }
            Path sibling = corpus.resolveSibling(name.substring(0, name.length() - TRAIN_SUFFIX.length()) + HELDOUT_SUFFIX);
            if (!Files.exists(sibling) && Files.exists(corpus)) {
                throw new IllegalArgumentException("--heldout is needed: the default, " + sibling + " (the sibling of --corpus), does"
                        + " not exist");
            }
            return sibling;
        }
    }
}
