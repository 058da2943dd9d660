package dev.cpt.app.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code promtool} (/usr/bin, else the PATH): rule checks, rule unit tests and the exposition
 * linter. Callers skip when {@link #available()} is false ({@code .ci/run} installs Debian's
 * {@code prometheus} package, which brings promtool).
 */
public final class Promtool {

    private static final long TIMEOUT_SECONDS = 60;

    private Promtool() {
    }

    /** promtool's exit code for lint problems (check metrics); 1 is a failure such as a parse error. */
    public static final int LINT_PROBLEMS = 3;

    /** A promtool run: its exit code and stdout and stderr together. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }

        /**
         * The lint problems of {@code check metrics} (exit code {@value #LINT_PROBLEMS}), one
         * {@code "<metric> <problem>"} line each, by metric name.
         */
        public Map<String, List<String>> lintProblems() {
            Map<String, List<String>> problems = new TreeMap<>();
            if (exitCode == LINT_PROBLEMS) {
                for (String line : output.split("\n")) {
                    String l = line.strip();
                    int space = l.indexOf(' ');
                    if (space > 0) {
                        problems.computeIfAbsent(l.substring(0, space), k -> new ArrayList<>()).add(l.substring(space + 1));
                    }
                }
            }
            return problems;
        }
    }

    public static Optional<Path> binary() {
        return Binaries.find("promtool");
    }

    public static boolean available() {
        return binary().isPresent();
    }

    /** {@code promtool check rules FILE} */
    public static Result checkRules(Path rules) {
        return run(null, "check", "rules", rules.toAbsolutePath().toString());
    }

    /** {@code promtool test rules FILE}: rule_files in the test file resolve against its directory. */
    public static Result testRules(Path tests) {
        return run(null, "test", "rules", tests.toAbsolutePath().toString());
    }

    /**
     * {@code promtool check metrics} with the text exposition on stdin. Exit code 0: parses and no
     * lint problem; {@value #LINT_PROBLEMS}: lint problems ({@link Result#lintProblems()}); 1: does not parse.
     */
    public static Result checkMetrics(String exposition) {
        return run(exposition, "check", "metrics");
    }

    private static Result run(String stdin, String... args) {
        Path bin = binary().orElseThrow(() -> new IllegalStateException(Binaries.missing("promtool")));
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), out.join());
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
