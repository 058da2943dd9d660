package dev.cpt.trainer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch-eager reference of the trainer's model, {@code bench/reference/gpt_eager.py}, run
 * as a child process of Debian's {@code /usr/bin/python3} (python3-torch 1.13 on OpenBLAS).
 * The script reads the initial weights ({@code Gpt.save}) and the token batches (raw
 * little-endian int32) that the Java side wrote, and prints one JSON line.
 */
public final class PythonReference {

    /** Debian's interpreter, the one python3-torch installs into. */
    public static final String DEFAULT_PYTHON = "/usr/bin/python3";

    /** The script's path relative to the repository root. */
    public static final Path SCRIPT = Path.of("bench", "reference", "gpt_eager.py");

    /** How to get the reference on Debian. */
    public static final String INSTALL_HINT = "apt-get update && apt-get install -y python3-torch libopenblas0-pthread";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String python;
    private final Path script;

    public PythonReference(String python, Path script) {
        this.python = Objects.requireNonNull(python, "python");
        this.script = Objects.requireNonNull(script, "script");
    }

    public String python() {
        return python;
    }

    public Path script() {
        return script;
    }

    /**
     * True when {@code python -c "import torch, numpy"} succeeds (within a minute).
     */
    public static boolean torchAvailable(String python) {
        return imports(python, "torch, numpy");
    }

    /** True when {@code python -c "import <modules>"} succeeds (within a minute). */
    public static boolean imports(String python, String modules) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import " + modules)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Finds {@code bench/reference/gpt_eager.py}: under the {@code cpt.repo.root} system property,
     * then in the working directory and its parents, then beside the code (the jar in
     * {@code app/target} or {@code trainer/target/classes}) and its parents.
     */
    public static Optional<Path> locateScript() {
        List<Path> starts = new ArrayList<>();
        String root = System.getProperty("cpt.repo.root");
        if (root != null && !root.isBlank()) {
            starts.add(Path.of(root));
        }
        starts.add(Path.of("").toAbsolutePath());
        try {
            CodeSource cs = PythonReference.class.getProtectionDomain().getCodeSource();
            if (cs != null && cs.getLocation() != null) {
                starts.add(Path.of(cs.getLocation().toURI()).toAbsolutePath());
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code location: the working directory must do
        }
        for (Path start : starts) {
            for (Path dir = start.normalize(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(SCRIPT);
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * What the reference measured.
     *
     * @param throughput   its timed steps
     * @param torchVersion {@code torch.__version__}
     * @param blas         the BLAS libraries the process mapped
     * @param matmulFlops  FLOP/s of its n^3 matmul, NaN when not measured
     * @param maxRssKb     its peak resident set size
     */
    public record Measurement(Throughput throughput, String torchVersion, String blas, double matmulFlops,
                              long maxRssKb) {

        /** True when the reference ran on OpenBLAS (not the 10x slower reference BLAS). */
        public boolean openBlas() {
            return blas.toLowerCase(java.util.Locale.ROOT).contains("openblas");
        }
    }

    /**
     * Runs warm-up + timed training steps of the reference.
     *
     * @param weights  initial weights written by {@code Gpt.save}
     * @param tokens   {@code pool x batch x (context+1)} int32 little-endian
     * @param matmulN  also time an {@code n^3} matmul in the reference (0: not)
     */
    public Measurement train(Path weights, Path tokens, int pool, int batch, int context, int warmup, int steps,
                             int threads, double lr, int matmulN, Duration timeout) throws IOException {
        List<String> args = new ArrayList<>(List.of("--weights", weights.toString(), "--tokens", tokens.toString(),
                "--pool", Integer.toString(pool), "--batch", Integer.toString(batch),
                "--context", Integer.toString(context), "--warmup", Integer.toString(warmup),
                "--steps", Integer.toString(steps), "--threads", Integer.toString(threads),
                "--lr", Double.toString(lr), "--matmul-n", Integer.toString(matmulN)));
        JsonNode out = run(args, threads, timeout);
        Throughput t = new Throughput(out.path("steps").asInt(steps), number(out, "tokens_per_s"),
                number(out, "ms_per_step"), Double.NaN, number(out, "forward_ms"), number(out, "backward_ms"),
                number(out, "optimizer_ms"), number(out, "loss_first"), number(out, "loss_last"), 0, null);
        return new Measurement(t, out.path("torch").asText("?"), out.path("blas").asText("unknown"),
                out.has("matmul_flops") ? number(out, "matmul_flops") : Double.NaN,
                out.path("max_rss_kb").asLong(-1));
    }

    /** The reference's loss on the first batch of {@code tokens} with the initial {@code weights}, no training. */
    public double initialLoss(Path weights, Path tokens, int batch, int context, int threads, Duration timeout)
            throws IOException {
        JsonNode out = run(List.of("--weights", weights.toString(), "--tokens", tokens.toString(), "--pool", "1",
                "--batch", Integer.toString(batch), "--context", Integer.toString(context),
                "--threads", Integer.toString(threads), "--loss-only"), threads, timeout);
        return number(out, "loss");
    }

    private JsonNode run(List<String> args, int threads, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(args);
        Path stderr = Files.createTempFile("cpt-bench-reference-", ".err");
        Path stdout = Files.createTempFile("cpt-bench-reference-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile())
                    .redirectOutput(stdout.toFile());
            Map<String, String> env = pb.environment();
            String n = Integer.toString(threads);
            // torch.set_num_threads sizes OpenMP; OpenBLAS (pthread build) has its own pool
            env.put("OMP_NUM_THREADS", n);
            env.put("OPENBLAS_NUM_THREADS", n);
            env.put("MKL_NUM_THREADS", n);
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            Process p = pb.start();
            p.getOutputStream().close();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("the PyTorch reference did not finish within " + timeout);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the PyTorch reference ran", e);
            }
            String text = Files.readString(stdout, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("the PyTorch reference (" + String.join(" ", command) + ") exited with "
                        + p.exitValue() + ": " + tail(Files.readString(stderr, StandardCharsets.UTF_8) + text));
            }
            String json = null;
            for (String line : text.split("\n")) {
                if (line.trim().startsWith("{")) {
                    json = line.trim();
                }
            }
            if (json == null) {
                throw new IOException("the PyTorch reference printed no JSON line: " + tail(text));
            }
            return JSON.readTree(json);
        } finally {
            Files.deleteIfExists(stderr);
            Files.deleteIfExists(stdout);
        }
    }

    private static double number(JsonNode out, String field) throws IOException {
        JsonNode v = out.get(field);
        if (v == null || !v.isNumber()) {
            throw new IOException("the PyTorch reference's output lacks the number '" + field + "': " + out);
        }
        return v.asDouble();
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() <= 2000 ? t : "..." + t.substring(t.length() - 2000);
    }
}
