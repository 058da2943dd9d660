package dev.cpt.app.cli;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.CoreSettings;
import dev.cpt.core.store.StoreLayout;
import dev.cpt.monitor.pull.Progress;
import dev.cpt.monitor.pull.PullException;
import dev.cpt.monitor.pull.PullResult;
import dev.cpt.monitor.pull.Puller;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * {@code cpt pull}: the checkpoint an alias names, from the registry into a local folder. The
 * work lives in {@code dev.cpt.monitor.pull}; this class maps options and turns failures into
 * exit codes.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Download the checkpoint an alias names from the registry (`cpt monitor` or `cpt standalone`) into DIR. "
                + "The files go to a temporary folder DIR/.tmp-<id>-*, each file's size and SHA-256 is checked against the "
                + "manifest, then the folder becomes DIR/<id> and DIR/current (a symbolic link) is switched to it atomically. "
                + "The checkpoint before stays as DIR/previous; older ones are deleted. When DIR/current already holds the id, "
                + "nothing is downloaded.",
                "%nWith --watch, long-polls the alias and pulls again whenever it moves, until stopped (Ctrl-C). An unreachable "
                        + "server, a missing alias or a server error is reported and retried after 1s, 2s, 4s ... 30s; a "
                        + "checkpoint that fails verification is reported and skipped until the alias moves again.",
                "%nThe token (read scope): --token-file FILE, else cpt.pull.token (environment CPT_PULL_TOKEN).",
                "%nProgress goes to stderr (a bar per file on a terminal); the pulled id and folder to stdout."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:pulled, or DIR/current already held the alias's checkpoint",
                "1:a file failed verification (checksum mismatch; DIR/current is unchanged), no such alias, a server or local error",
                "2:bad options or configuration",
                "4:the server refused the token (HTTP 401 or 403)",
                "5:the server cannot be reached (connection refused, timeout, broken connection)"})
public final class PullCommand implements Callable<Integer> {

    /** Exit code for a checksum mismatch and every failure without a code of its own. */
    public static final int EXIT_FAILED = 1;
    /** Exit code when the server refuses the token. */
    public static final int EXIT_AUTH = 4;
    /** Exit code when the server cannot be reached. */
    public static final int EXIT_UNREACHABLE = 5;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:9400",
            description = "The registry: where `cpt monitor` or `cpt standalone` serves /v1 (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--alias", paramLabel = "NAME", defaultValue = "latest",
            description = "The alias to pull: latest, latest-decayed, main, or a pinned id (default: ${DEFAULT-VALUE}).")
    String alias;

    @Option(names = "--to", paramLabel = "DIR", required = true,
            description = "The local folder: DIR/<id>, DIR/current and DIR/previous live there (created when missing).")
    Path to;

    @Option(names = "--watch", description = "Keep running: pull again whenever the alias moves.")
    boolean watch;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "30s", converter = PushCommand.DurationConverter.class,
            description = "With --watch, how long each long-poll waits for the alias to move (default: ${DEFAULT-VALUE}; "
                    + "the server caps it at cpt.monitor.long.poll.max).")
    Duration wait;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the read token (and nothing else); default: cpt.pull.token (env CPT_PULL_TOKEN).")
    Path tokenFile;

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    /** When --watch stops; never on the command line (Ctrl-C ends the process), a test's switch otherwise. */
    BooleanSupplier stop = () -> false;

    @Override
    public Integer call() {
        Config config = options.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!StoreLayout.ID.matcher(alias).matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--alias must match " + StoreLayout.ID.pattern() + ", got '" + alias + "'");
        }
        if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wait must be at least 1s: " + wait.toMillis() + "ms");
        }
        Optional<String> token = token(config);
        Puller puller;
        try {
            puller = new Puller(URI.create(url.strip()), token, to, new Progress(err, System.console() != null, System::nanoTime));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url: " + e.getMessage());
        }
        try {
            if (watch) {
                puller.watch(alias, wait, stop, r -> {
                    out.println(r.line());
                    out.flush();
                });
                return 0;
            }
            PullResult r = puller.pullOnce(alias);
            out.println(r.line());
            out.flush();
            return 0;
        } catch (PullException e) {
            err.println("cpt pull: " + e.getMessage());
            err.flush();
            return switch (e.kind()) {
                case AUTH -> EXIT_AUTH;
                case UNREACHABLE -> EXIT_UNREACHABLE;
                default -> EXIT_FAILED;
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("cpt pull: interrupted");
            err.flush();
            return EXIT_FAILED;
        }
    }

    /** --token-file, else cpt.pull.token; empty when neither gives one (the server will answer 401). */
    private Optional<String> token(Config config) {
        if (tokenFile != null) {
            String t;
            try {
                t = Files.readString(tokenFile).strip();
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--token-file " + tokenFile + " cannot be read: " + e);
            }
            if (t.isEmpty() || !t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--token-file " + tokenFile
                        + " must hold one token (printable ASCII, no white space inside)" + (t.isEmpty() ? "; it is empty" : ""));
            }
            return Optional.of(t);
        }
        String t = config.get(CoreSettings.PULL_TOKEN).strip();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }
}
