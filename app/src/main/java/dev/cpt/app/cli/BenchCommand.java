package dev.cpt.app.cli;

import dev.cpt.app.ScratchDir;
import dev.cpt.app.Main;
import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.config.Config;
import dev.cpt.ingest.bench.BenchInput;
import dev.cpt.ingest.bench.BenchSeries;
import dev.cpt.ingest.bench.CorpusException;
import dev.cpt.ingest.bench.IngestBench;
import dev.cpt.trainer.bench.PythonReference;
import dev.cpt.trainer.bench.TrainerBench;
import dev.cpt.trainer.bench.TrainerBenchResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cpt bench ingest}: measurements of cpt's parts on a throw-away embedded broker;
 * {@code cpt bench trainer}: the training step against PyTorch eager and the matmul peak.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure cpt's parts: the ingest on a throw-away embedded Kafka broker, the trainer's step against PyTorch eager.",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Trainer.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = {"Throughput of the ingest against a raw exactly-once copy of the same records.",
                    "%nStarts an embedded broker on a temporary directory (deleted afterwards), pushes --mb MB of documents to "
                            + "cpt.docs (not timed), then times (1) the ingest (Kafka Streams, exactly_once_v2) from RUNNING until "
                            + "the whole input is committed, and (2) a read_committed consumer -> transactional producer copy of "
                            + "the same records committing every cpt.ingest.commit.interval. Checks that every input byte "
                            + "reached cpt.sequences / cpt.heldout (or waits in the pack state), and that the ingest's meters agree.",
                    "%nA short run measures a cold JVM: the JIT compiler still works on the ingest's code during the first "
                            + "seconds, and the copy, which runs second, finds the client code compiled; --warmup-mb evens that out. "
                            + "Runs of one command can differ by a tenth; --runs N reports the median of N.",
                    "%n--set cpt.ingest.* tunes the ingest under test. The last line is ingest_vs_raw_copy=<ingest MB/s / copy MB/s>."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:measured and verified", "1:the output did not match the input (the problems are on stderr)",
                    "2:bad options, configuration or corpus"})
    static final class Ingest implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @Option(names = "--corpus", paramLabel = "FILE_OR_DIR",
                description = "A .jsonl file, or a directory of .jsonl files, one {\"id\",\"stream\",\"text\"} per line; cycled "
                        + "(repeats made unique with ' #<k>') up to --mb. Default: the built-in synthetic streams.")
        Path corpus;

        @Option(names = "--mb", paramLabel = "N", defaultValue = "20",
                description = "Megabytes (10^6 bytes) of document text to push (default: ${DEFAULT-VALUE}).")
        double mb;

        @Option(names = "--warmup-mb", paramLabel = "N", defaultValue = "0",
                description = "First run the whole bench on N MB of the same input under other topics, unreported, so that "
                        + "the timed runs find the JIT compiler warm (default: ${DEFAULT-VALUE}, no warm-up).")
        double warmupMb;

        @Option(names = "--warmup-runs", paramLabel = "N", defaultValue = "1",
                description = "How many warm-ups on --warmup-mb, each a whole bench on fresh topics with a fresh ingest: "
                        + "a Streams instance's start compiles code that only fresh instances reach. Their ratios are "
                        + "listed, not counted (default: ${DEFAULT-VALUE}; at most 50).")
        int warmupRuns;

        @Option(names = "--runs", paramLabel = "N", defaultValue = "1",
                description = "Run the whole bench N times (after the warm-up), each on fresh topics, and report the median "
                        + "ratio: on a small machine one run can be off by a tenth (default: ${DEFAULT-VALUE}; at most 50).")
        int runs;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!(mb > 0) || mb > 100_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--mb must be > 0 and at most 100000: " + mb);
            }
            if (!(warmupMb >= 0) || warmupMb > 100_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--warmup-mb must be >= 0 and at most 100000: " + warmupMb);
            }
            if (warmupRuns < 1 || warmupRuns > 50) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--warmup-runs must be from 1 to 50: " + warmupRuns);
            }
            if (warmupRuns > 1 && !(warmupMb > 0)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--warmup-runs needs --warmup-mb, the size of each warm-up");
            }
            if (runs < 1 || runs > 50) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be from 1 to 50: " + runs);
            }
            Config config = options.load();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            long bytes = Math.max(1, Math.round(mb * 1e6));
            long warmupBytes = Math.round(warmupMb * 1e6);
            BenchInput input;
            BenchInput warmup;
            try {
                input = corpus == null ? BenchInput.synthetic(bytes) : BenchInput.corpus(corpus, bytes);
                warmup = warmupBytes <= 0 ? null : corpus == null ? BenchInput.synthetic(warmupBytes) : BenchInput.corpus(corpus, warmupBytes);
            } catch (CorpusException e) {
                err.println("cpt: bench: " + e.getMessage());
                err.flush();
                return Main.EXIT_CONFIG;
            }
            BenchSeries report;
            try (ScratchDir dir = ScratchDir.create("cpt-bench-", "the bench");
                 EmbeddedBroker broker = EmbeddedBroker.start(dir.path().resolve("kafka"), 0, 0, Map.of())) {
                report = IngestBench.run(config, broker.bootstrapServers(), dir.path(), input, warmup, warmupRuns, runs, line -> {
                    err.println(line);
                    err.flush();
                });
            }
            report.problems().forEach(p -> err.println("cpt: bench: mismatch: " + p));
            err.flush();
            report.lines().forEach(out::println);
            out.flush();
            return report.verified() ? 0 : 1;
        }
    }

    @Command(name = "trainer", mixinStandardHelpOptions = true,
            description = {"Throughput of cpt's training step against a PyTorch-eager implementation of the same model, "
                    + "and the FLOP/s it reaches against libtorch's large-matmul FLOP/s.",
                    "%nBuilds the GPT preset (byte vocabulary 259) on the CPU with AdamW, trains on synthetic random token "
                            + "batches (fixed seed, generated before timing): --warmup untimed steps, then --steps timed ones. "
                            + "The reference, bench/reference/gpt_eager.py run by Debian's python3-torch on OpenBLAS, starts "
                            + "from the same initial weights (written with Gpt.save) and trains on the same batches with the "
                            + "same thread count and AdamW. Without torch it prints how to install it and our figures only.",
                    "%n--rss-steps N1,N2,... then trains that many more steps and reports the process's VmRSS at each mark.",
                    "%nThe last line is trainer_vs_pytorch_eager=<our tokens/s / reference tokens/s, or n/a> "
                            + "flops_fraction=<achieved FLOP/s / matmul FLOP/s>."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:measured (the reference too, unless skipped or not installed)",
                    "1:the reference was found but failed (the reason is on stderr)", "2:bad options"})
    static final class Trainer implements Callable<Integer> {

        @Option(names = "--preset", paramLabel = "NAME", defaultValue = "tiny",
                description = "Model preset: tiny, small or base (default: ${DEFAULT-VALUE}).")
        String preset;

        @Option(names = "--context", paramLabel = "T", defaultValue = "0",
                description = "Sequence length (default: the preset's: tiny 64, small 256, base 1024).")
        int context;

        @Option(names = "--batch", paramLabel = "B", defaultValue = "16",
                description = "Sequences per step (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--steps", paramLabel = "N", defaultValue = "100",
                description = "Timed steps (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "5",
                description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--threads", paramLabel = "T",
                description = "Intra-op threads of both engines (default: the number of cores).")
        Integer threads;

        @Option(names = "--matmul-n", paramLabel = "N", defaultValue = "1024",
                description = "Size of the square matmul that measures libtorch's FLOP/s (default: ${DEFAULT-VALUE}).")
        int matmulN;

        @Option(names = "--rss-steps", paramLabel = "N", split = ",",
                description = "After the comparison, train until each of these step counts and report VmRSS there "
                        + "and its growth from the first to the last mark.")
        List<Long> rssSteps;

        @Option(names = "--no-reference", description = "Do not run the PyTorch reference (ratio n/a).")
        boolean noReference;

        @Option(names = "--python", paramLabel = "PATH", defaultValue = PythonReference.DEFAULT_PYTHON,
                description = "Interpreter of the reference (default: ${DEFAULT-VALUE}, Debian's python3-torch).")
        String python;

        @Option(names = "--reference-script", paramLabel = "FILE",
                description = "The reference script (default: bench/reference/gpt_eager.py of the cpt checkout).")
        Path referenceScript;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            TrainerBench.Options options;
            try {
                options = new TrainerBench.Options(preset, context, batch, warmup, steps,
                        threads == null ? Runtime.getRuntime().availableProcessors() : threads, matmulN,
                        rssSteps == null ? List.of() : rssSteps, !noReference, python, referenceScript, 42L);
                options.config();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            TrainerBenchResult result = TrainerBench.run(options, line -> {
                err.println(line);
                err.flush();
            });
            TrainerBenchResult.Reference reference = result.reference();
            if (reference.status() == TrainerBenchResult.Status.UNAVAILABLE) {
                err.println("cpt: bench: PyTorch reference unavailable: " + reference.message());
            } else if (reference.status() == TrainerBenchResult.Status.FAILED) {
                err.println("cpt: bench: PyTorch reference failed: " + reference.message());
            }
            err.flush();
            result.lines().forEach(out::println);
            out.flush();
            return reference.status() == TrainerBenchResult.Status.FAILED ? 1 : 0;
        }
    }
}
