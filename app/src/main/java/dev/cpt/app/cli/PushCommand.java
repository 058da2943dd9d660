package dev.cpt.app.cli;

import dev.cpt.app.Main;
import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.CoreSettings;
import dev.cpt.core.config.KafkaSettings;
import dev.cpt.core.config.ValueType;
import dev.cpt.core.kafka.KafkaSetupException;
import dev.cpt.core.kafka.Topics;
import dev.cpt.ingest.push.BadLinePolicy;
import dev.cpt.ingest.push.DocsProducer;
import dev.cpt.ingest.push.DocumentSource;
import dev.cpt.ingest.push.ProgressReporter;
import dev.cpt.ingest.push.PushInput;
import dev.cpt.ingest.push.PushInputException;
import dev.cpt.ingest.push.PushSummary;
import dev.cpt.ingest.push.SourceOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code cpt push}: documents from files, directories, JSONL or stdin to {@code cpt.docs}. The
 * reading and sending live in {@code dev.cpt.ingest.push}; this class maps options, finds the
 * cluster and turns the outcome into an exit code.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Send documents to the cpt.docs topic: plain-text files (one document per file), directories "
                + "(recursively, in sorted path order; names starting with '.' are skipped), JSONL files (*.jsonl: one JSON "
                + "document {\"id\",\"stream\",\"text\",\"meta\"} per line, sent as is) or stdin ('-', or no argument).",
                "%nA JSONL line goes to the stream in its \"stream\" field, else to --stream; plain text needs --stream. "
                        + "Bad lines are reported on stderr as FILE:LINE. A file that cannot be read is reported and skipped, "
                        + "the rest is still sent, and the exit code is 1. With --on-bad-line stop, what was read before "
                        + "the bad line has been sent.",
                "%nKafka: cpt.kafka.bootstrap.servers, else the running `cpt standalone` on cpt.data.dir.",
                "%nShows a progress bar on a terminal, and always prints one summary line on stdout."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything sent (skipped bad lines are reported, not failures)",
                "1:an input was skipped (unreadable, too large) or --on-bad-line stop stopped the push",
                "2:bad options or configuration (e.g. missing or invalid --stream, a missing path)",
                "3:Kafka unreachable within --timeout, the topic is missing, or Kafka did not take a document"})
public final class PushCommand implements Callable<Integer> {

    /** Exit code when some input was skipped or a bad line stopped the push. */
    public static final int EXIT_INPUT = 1;

    @Parameters(paramLabel = "FILE|DIR|-", arity = "0..*",
            description = "Files, directories, or '-' for stdin; none reads stdin.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--stream", paramLabel = "NAME",
            description = "Stream id of plain-text documents and of JSONL lines without a \"stream\" field; must match [a-z0-9][a-z0-9._-]{0,63}.")
    String stream;

    @Option(names = "--jsonl", description = "Read every input (stdin included) as JSONL, whatever its name.")
    boolean jsonl;

    @Option(names = "--on-bad-line", paramLabel = "skip|stop", defaultValue = "skip", converter = PolicyConverter.class,
            description = "A JSONL line that is not a JSON object or names no stream: report it and go on (skip, the default), "
                    + "or report it and send nothing more (stop, exit code 1).")
    BadLinePolicy onBadLine;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to wait for Kafka to answer, and for each document to be acknowledged (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Config config = options.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1s: " + timeout.toMillis() + "ms");
        }
        // the bar only on a terminal: in a pipe or a log file its \r redraws would be noise
        ProgressReporter reporter = new ProgressReporter(err, System.console() != null, System::nanoTime);
        DocumentSource source;
        try {
            source = DocumentSource.open(PushInput.parse(inputs), new SourceOptions(Optional.ofNullable(stream), jsonl, onBadLine),
                    System.in, reporter::problem);
        } catch (PushInputException e) {
            err.println("cpt push: " + e.getMessage());
            err.flush();
            return Main.EXIT_CONFIG;
        }
        String topic = Topics.from(config).docs();
        String bootstrap;
        PushSummary summary;
        try (source) {
            bootstrap = bootstrapServers(config);
            summary = DocsProducer.push(bootstrap, topic, timeout, source, reporter, System::nanoTime);
        }
        out.println(summary.line());
        out.flush();
        if (summary.notSent() > 0) {
            err.println("cpt: Kafka error: " + summary.notSent() + " document" + (summary.notSent() == 1 ? "" : "s")
                    + " not sent to " + topic + " on " + bootstrap + " (first: " + summary.firstSendError().orElse("?") + ")");
            err.flush();
            return Main.EXIT_KAFKA;
        }
        return summary.complete() ? 0 : EXIT_INPUT;
    }

    /** The configured cluster, else the one the last {@code cpt standalone} on this data directory ran. */
    static String bootstrapServers(Config config) {
        String configured = config.get(KafkaSettings.BOOTSTRAP_SERVERS).strip();
        if (!configured.isEmpty()) {
            return configured;
        }
        Path dir = config.get(CoreSettings.DATA_DIR).resolve("kafka");
        return EmbeddedBroker.lastBootstrapServers(dir).orElseThrow(() -> new KafkaSetupException(
                "no Kafka cluster to push to: cpt.kafka.bootstrap.servers is empty and no `cpt standalone` has run on "
                        + dir + "; start `cpt standalone` or set cpt.kafka.bootstrap.servers", null));
    }

    /** "skip" or "stop", any case. */
    static final class PolicyConverter implements CommandLine.ITypeConverter<BadLinePolicy> {
        @Override
        public BadLinePolicy convert(String value) {
            try {
                return BadLinePolicy.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not skip or stop");
            }
        }
    }

    /** The configuration's duration syntax: 250ms, 30s, 5m, ... */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return ValueType.DURATION_TYPE.parser().apply(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is " + e.getMessage());
            }
        }
    }
}
