package dev.cpt.app.cli;

import dev.cpt.app.Main;
import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.config.Config;
import dev.cpt.ingest.bench.BenchInput;
import dev.cpt.ingest.bench.BenchReport;
import dev.cpt.ingest.bench.CorpusException;
import dev.cpt.ingest.bench.IngestBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code cpt bench ingest}: measurements of cpt's parts on a throw-away embedded broker. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure cpt's parts on a throw-away embedded Kafka broker.",
        subcommands = {BenchCommand.Ingest.class})
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
                            + "seconds, and the copy, which runs second, finds the client code compiled; --warmup-mb evens that out.",
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
            Path dir = createTempDir();
            BenchReport report;
            try {
                try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("kafka"), 0, 0, Map.of())) {
                    report = IngestBench.run(config, broker.bootstrapServers(), dir, input, warmup, line -> {
                        err.println(line);
                        err.flush();
                    });
                }
            } finally {
                deleteRecursively(dir);
            }
            report.problems().forEach(p -> err.println("cpt: bench: mismatch: " + p));
            err.flush();
            report.lines().forEach(out::println);
            out.flush();
            return report.verified() ? 0 : 1;
        }

        private static Path createTempDir() {
            try {
                return Files.createTempDirectory("cpt-bench-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for the bench", e);
            }
        }

        private static void deleteRecursively(Path dir) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a left-over temporary directory is harmless
            }
        }
    }
}
