package dev.cpt.trainer.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.cpt.trainer.model.Autograd;
import dev.cpt.trainer.model.Gpt;
import dev.cpt.trainer.model.GptConfig;
import dev.cpt.trainer.optim.AdamW;
import dev.cpt.trainer.step.StepResult;
import dev.cpt.trainer.step.TrainStep;
import dev.cpt.trainer.telemetry.PeakFlops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Throughput of cpt's training step ({@link Gpt} + {@link AdamW} + {@link TrainStep} on DJL's
 * libtorch, CPU) against a PyTorch-eager implementation of the same model
 * ({@link PythonReference}), the FLOP/s the step reaches against libtorch's own large-matmul
 * FLOP/s, and optionally the process memory over a long run.
 *
 * <p>Both sides start from the same weights (the Java model's initial weights, written with
 * {@link Gpt#save}) and train on the same pool of synthetic random token batches (a fixed seed,
 * generated before anything is timed), with the same batch shape, thread count, learning rate
 * and AdamW settings. Warm-up steps are run and not timed.
 */
public final class TrainerBench {

    /** Byte-level vocabulary of the ingest's tokenizer: 256 bytes + 3 special ids. */
    public static final int VOCAB = 259;

    /** Constant learning rate of the timed steps (both sides). */
    public static final double LR = 3e-4;

    /** Distinct token batches, cycled by both sides. */
    public static final int POOL = 32;

    /**
     * The peak RSS: the kernel's {@code VmHWM}, but never below a mark we read ourselves, because
     * the kernel syncs its per-thread RSS counters lazily and {@code VmHWM} can trail a
     * {@code VmRSS} read a moment earlier by a few pages.
     */
    private static long peakRssKb(List<RssMark> marks) {
        long peak = ProcessMemory.peakRssKb();
        for (RssMark m : marks) {
            peak = Math.max(peak, m.rssKb());
        }
        return peak;
    }

    private static final long MIB = 1L << 20;

    private TrainerBench() {
    }

    /**
     * What to measure.
     *
     * @param preset     model preset, {@link GptConfig#PRESETS}
     * @param context    sequence length; 0 for the preset's default
     * @param batch      sequences per step
     * @param warmup     untimed steps first
     * @param steps      timed steps
     * @param threads    intra-op threads of both engines
     * @param matmulN    size of the square matmul whose FLOP/s is the denominator of the fraction
     * @param rssSteps   step marks of the memory run (strictly increasing), empty for none
     * @param reference  run the PyTorch reference
     * @param python     the interpreter for the reference
     * @param script     the reference script; null to {@linkplain PythonReference#locateScript() locate} it
     * @param dataSeed   seed of the token batches
     */
    public record Options(String preset, int context, int batch, int warmup, int steps, int threads, int matmulN,
                          List<Long> rssSteps, boolean reference, String python, Path script, long dataSeed) {

        public Options {
            Objects.requireNonNull(preset, "preset");
            GptConfig.preset(preset, VOCAB); // validates the name
            require(context >= 0, "--context must be >= 0 (0: the preset's), got " + context);
            require(batch >= 1 && batch <= 65_536, "--batch must be in [1, 65536], got " + batch);
            require(warmup >= 0 && warmup <= 1_000_000, "--warmup must be in [0, 1000000], got " + warmup);
            require(steps >= 1 && steps <= 10_000_000, "--steps must be in [1, 10000000], got " + steps);
            require(threads >= 1 && threads <= 1024, "--threads must be in [1, 1024], got " + threads);
            require(matmulN >= 64 && matmulN <= 16_384, "--matmul-n must be in [64, 16384], got " + matmulN);
            rssSteps = List.copyOf(rssSteps == null ? List.of() : rssSteps);
            long previous = 0;
            for (long mark : rssSteps) {
                require(mark > previous, "--rss-steps must be positive and strictly increasing, got " + rssSteps);
                previous = mark;
            }
            require(previous <= 100_000_000L, "--rss-steps marks must be at most 100000000, got " + previous);
            Objects.requireNonNull(python, "python");
        }

        /** tiny, batch 16, 5 warm-up + 100 timed steps, all cores, matmul 1024, reference on. */
        public static Options defaults() {
            return new Options("tiny", 0, 16, 5, 100, Runtime.getRuntime().availableProcessors(), 1024, List.of(),
                    true, PythonReference.DEFAULT_PYTHON, null, 42L);
        }

        /** The model config: the preset for the byte vocabulary and the sequence length. */
        public GptConfig config() {
            return context == 0 ? GptConfig.preset(preset, VOCAB) : GptConfig.preset(preset, VOCAB, context);
        }

        public Options withPreset(String p) {
            return new Options(p, context, batch, warmup, steps, threads, matmulN, rssSteps,
                    reference, python, script, dataSeed);
        }

        public Options withSteps(int w, int n) {
            return new Options(preset, context, batch, w, n, threads, matmulN, rssSteps, reference, python, script,
                    dataSeed);
        }

        public Options withBatch(int b) {
            return new Options(preset, context, b, warmup, steps, threads, matmulN, rssSteps, reference, python, script,
                    dataSeed);
        }

        public Options withThreads(int t) {
            return new Options(preset, context, batch, warmup, steps, t, matmulN, rssSteps, reference, python, script,
                    dataSeed);
        }

        public Options withMatmulN(int n) {
            return new Options(preset, context, batch, warmup, steps, threads, n, rssSteps, reference, python, script,
                    dataSeed);
        }

        public Options withRssSteps(List<Long> marks) {
            return new Options(preset, context, batch, warmup, steps, threads, matmulN, marks, reference, python, script,
                    dataSeed);
        }

        public Options withReference(boolean on) {
            return new Options(preset, context, batch, warmup, steps, threads, matmulN, rssSteps, on, python, script,
                    dataSeed);
        }

        public Options withPython(String interpreter, Path referenceScript) {
            return new Options(preset, context, batch, warmup, steps, threads, matmulN, rssSteps, reference, interpreter,
                    referenceScript, dataSeed);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /**
     * Runs the bench: libtorch's matmul FLOP/s, cpt's steps, the reference's steps (when asked
     * for and available), then the memory run (when asked for).
     *
     * @param progress one line per phase (for stderr)
     */
    public static TrainerBenchResult run(Options options, Consumer<String> progress) {
        Objects.requireNonNull(options, "options");
        Consumer<String> say = progress == null ? s -> { } : progress;
        GptConfig config = options.config();
        int t = config.context();
        Engine engine = Engine.getEngine("PyTorch");
        Autograd.disableOnThisThread();
        int previousThreads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(options.threads());
        Path dir = null;
        try {
            dir = Files.createTempDirectory("cpt-bench-trainer-");
            List<int[][]> pool = randomBatches(options.dataSeed(), Math.min(POOL, options.warmup() + options.steps()),
                    options.batch(), t, VOCAB);

            say.accept("timing libtorch " + engine.getVersion() + " on a " + options.matmulN() + "^3 matmul, "
                    + options.threads() + " threads");
            double matmul = matmulFlops(options.matmulN());

            Throughput ours;
            TrainerBenchResult.Reference reference;
            List<RssMark> marks = new ArrayList<>();
            long rssBefore;
            long memorySkipped = 0;
            String memoryFirstSkip = null;
            try (Gpt model = new Gpt(config, Device.cpu()); AdamW optimizer = new AdamW(model)) {
                Path weights = dir.resolve("initial.safetensors");
                Path tokens = dir.resolve("tokens.i32");
                model.save(weights);
                writeTokens(tokens, pool);
                TrainStep step = new TrainStep(model, optimizer);

                say.accept("cpt: " + options.warmup() + " warm-up + " + options.steps() + " timed steps, preset "
                        + options.preset() + ", batch " + options.batch() + " x " + t);
                ours = trainOurs(step, pool, options.warmup(), options.steps());

                reference = runReference(options, weights, tokens, pool.size(), t, ours, say);

                rssBefore = ProcessMemory.rssKb();
                if (!options.rssSteps().isEmpty()) {
                    long last = options.rssSteps().get(options.rssSteps().size() - 1);
                    say.accept("memory run: " + last + " steps, VmRSS at " + options.rssSteps());
                    int next = 0;
                    for (long k = 1; k <= last; k++) {
                        StepResult r = step.step(pool.get((int) (k % pool.size())), LR);
                        if (r.skipped()) {
                            memorySkipped++;
                            if (memoryFirstSkip == null) {
                                memoryFirstSkip = describeSkip(k, r);
                            }
                        }
                        if (k == options.rssSteps().get(next)) {
                            RssMark mark = new RssMark(k, ProcessMemory.rssKb(), ProcessMemory.javaHeapResidentKb(),
                                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted());
                            marks.add(mark);
                            say.accept("  step " + k + ": VmRSS " + mark.rssKb() / 1024 + " MiB, of which Java heap "
                                    + mark.heapResidentKb() / 1024 + " MiB resident (" + mark.heapCommittedBytes() / MIB
                                    + " MiB committed)");
                            next++;
                        }
                    }
                }
            }
            return new TrainerBenchResult(options, config, engine.getVersion(), matmul, ours,
                    peakRssKb(marks), reference, rssBefore, marks, memorySkipped, memoryFirstSkip);
        } catch (IOException e) {
            throw new UncheckedIOException("trainer bench: " + e.getMessage(), e);
        } finally {
            JniUtils.setNumThreads(previousThreads);
            deleteRecursively(dir);
        }
    }

    private static Throughput trainOurs(TrainStep step, List<int[][]> pool, int warmup, int steps) {
        double lossFirst = Double.NaN;
        String firstSkip = null;
        for (int k = 0; k < warmup; k++) {
            StepResult r = step.step(pool.get(k % pool.size()), LR);
            if (k == 0) {
                lossFirst = r.loss();
            }
            if (r.skipped() && firstSkip == null) {
                firstSkip = describeSkip(k + 1, r);
            }
        }
        long data = 0;
        long forward = 0;
        long backward = 0;
        long update = 0;
        long tokens = 0;
        int skipped = 0;
        double lossLast = Double.NaN;
        long t0 = System.nanoTime();
        for (int k = warmup; k < warmup + steps; k++) {
            StepResult r = step.step(pool.get(k % pool.size()), LR);
            if (k == 0) {
                lossFirst = r.loss();
            }
            if (r.skipped()) {
                skipped++;
                if (firstSkip == null) {
                    firstSkip = describeSkip(k + 1, r);
                }
            }
            data += r.dataNs();
            forward += r.forwardNs();
            backward += r.backwardNs();
            update += r.optimizerNs();
            tokens += r.tokens();
            lossLast = r.loss();
        }
        long wall = System.nanoTime() - t0;
        double ms = 1e6 * steps;
        return new Throughput(steps, tokens * 1e9 / wall, wall / ms, data / ms, forward / ms, backward / ms,
                update / ms, lossFirst, lossLast, skipped, firstSkip);
    }

    static String describeSkip(long step, StepResult r) {
        return String.format(java.util.Locale.ROOT, "step %d: %s (loss %s, gradient norm %s)", step, r.skipReason(),
                r.loss(), r.gradNorm());
    }

    private static TrainerBenchResult.Reference runReference(Options options, Path weights, Path tokens, int pool,
                                                             int context, Throughput ours, Consumer<String> say) {
        if (!options.reference()) {
            return TrainerBenchResult.Reference.skipped("--no-reference");
        }
        if (!PythonReference.torchAvailable(options.python())) {
            return TrainerBenchResult.Reference.unavailable(options.python() + " cannot import torch and numpy; install "
                    + "the reference with: " + PythonReference.INSTALL_HINT);
        }
        Path script = options.script();
        if (script == null) {
            script = PythonReference.locateScript().orElse(null);
            if (script == null) {
                return TrainerBenchResult.Reference.unavailable(PythonReference.SCRIPT
                        + " not found (run from the cpt checkout, or pass --reference-script)");
            }
        } else if (!Files.isRegularFile(script)) {
            return TrainerBenchResult.Reference.unavailable("reference script " + script + " does not exist");
        }
        say.accept("PyTorch eager reference (" + options.python() + " " + script + "): " + options.warmup()
                + " warm-up + " + options.steps() + " timed steps");
        double ourSeconds = ours.msPerStep() * (options.warmup() + options.steps()) / 1e3;
        Duration timeout = Duration.ofSeconds(Math.max(600, (long) (ourSeconds * 30)));
        try {
            PythonReference.Measurement m = new PythonReference(options.python(), script).train(weights, tokens, pool,
                    options.batch(), context, options.warmup(), options.steps(), options.threads(), LR,
                    options.matmulN(), timeout);
            return TrainerBenchResult.Reference.measured(m);
        } catch (IOException e) {
            return TrainerBenchResult.Reference.failed(e.getMessage());
        }
    }

    /** Best of three timings of {@code n^3} matmuls, about 0.3 s each. */
    static double matmulFlops(int n) {
        double estimate = PeakFlops.measure(Device.cpu(), n, 1);
        double seconds = 2.0 * n * n * (double) n / estimate;
        int reps = (int) Math.max(2, Math.min(10_000, Math.ceil(0.3 / seconds)));
        double best = 0;
        for (int i = 0; i < 3; i++) {
            best = Math.max(best, PeakFlops.measure(Device.cpu(), n, reps));
        }
        return best;
    }

    /** {@code count} batches of {@code batch} rows of {@code context + 1} uniform token ids from {@code seed}. */
    public static List<int[][]> randomBatches(long seed, int count, int batch, int context, int vocab) {
        Random r = new Random(seed);
        List<int[][]> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int[][] b = new int[batch][context + 1];
            for (int[] row : b) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = r.nextInt(vocab);
                }
            }
            out.add(b);
        }
        return List.copyOf(out);
    }

    /** Writes {@code batches} as raw little-endian int32, batch after batch, row after row (the script's format). */
    public static void writeTokens(Path file, List<int[][]> batches) throws IOException {
        int ints = 0;
        for (int[][] b : batches) {
            for (int[] row : b) {
                ints += row.length;
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(ints * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int[][] b : batches) {
            for (int[] row : b) {
                for (int v : row) {
                    buf.putInt(v);
                }
            }
        }
        Files.write(file, buf.array());
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
