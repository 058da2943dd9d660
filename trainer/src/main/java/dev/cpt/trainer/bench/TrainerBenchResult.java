package dev.cpt.trainer.bench;

import dev.cpt.trainer.model.GptConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link TrainerBench#run} measured, and its report ({@link #lines()}), whose last line is
 * {@code trainer_vs_pytorch_eager=<x.xx|n/a> flops_fraction=<y.yy>}.
 *
 * @param options       what was asked for
 * @param config        the model
 * @param engineVersion libtorch's version inside DJL
 * @param matmulFlops   FLOP/s of libtorch on the {@code matmulN^3} matmul (best of three)
 * @param ours          cpt's timed steps
 * @param oursPeakRssKb this process's peak RSS ({@code VmHWM}) at the end, kB
 * @param reference     the PyTorch eager reference's outcome
 * @param rssBeforeKb   VmRSS before the memory run, kB
 * @param rss           VmRSS at each mark of the memory run (empty when not asked for)
 * @param memoryRunSkippedSteps steps of the memory run that applied no update (non-finite loss or gradient)
 * @param memoryRunFirstSkip    description of the first of them, null when none
 */
public record TrainerBenchResult(TrainerBench.Options options, GptConfig config, String engineVersion,
                                 double matmulFlops, Throughput ours, long oursPeakRssKb, Reference reference,
                                 long rssBeforeKb, List<RssMark> rss, long memoryRunSkippedSteps,
                                 String memoryRunFirstSkip) {

    /** Initial losses further apart than this mean the reference does not compute the same model. */
    public static final double SAME_MODEL_TOLERANCE = 1e-3;

    public TrainerBenchResult {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(ours, "ours");
        Objects.requireNonNull(reference, "reference");
        rss = List.copyOf(rss);
    }

    /** How the reference run went. */
    public enum Status {
        /** Ran and measured. */
        MEASURED,
        /** Not asked for ({@code --no-reference}). */
        SKIPPED,
        /** torch, numpy or the script missing: our figures only. */
        UNAVAILABLE,
        /** Started but failed: the message says why. */
        FAILED
    }

    /**
     * @param status      what happened
     * @param message     why it was not measured, null when it was
     * @param measurement the figures when {@link Status#MEASURED}, else null
     */
    public record Reference(Status status, String message, PythonReference.Measurement measurement) {

        public static Reference measured(PythonReference.Measurement m) {
            return new Reference(Status.MEASURED, null, Objects.requireNonNull(m));
        }

        public static Reference skipped(String why) {
            return new Reference(Status.SKIPPED, why, null);
        }

        public static Reference unavailable(String why) {
            return new Reference(Status.UNAVAILABLE, why, null);
        }

        public static Reference failed(String why) {
            return new Reference(Status.FAILED, why, null);
        }

        public boolean measuredOk() {
            return status == Status.MEASURED;
        }
    }

    /** Training FLOPs per token at the bench's sequence length ({@code 6 N + 12 L d T}). */
    public long flopsPerToken() {
        return config.flopsPerToken(config.context());
    }

    /** FLOP/s cpt's step reaches: tokens/s x {@link #flopsPerToken()}. */
    public double achievedFlops() {
        return ours.tokensPerSecond() * flopsPerToken();
    }

    /** Achieved over libtorch's large-matmul FLOP/s. */
    public double flopsFraction() {
        return achievedFlops() / matmulFlops;
    }

    /** cpt's tokens/s over the reference's; NaN when the reference was not measured. */
    public double ratio() {
        return reference.measuredOk()
                ? ours.tokensPerSecond() / reference.measurement().throughput().tokensPerSecond()
                : Double.NaN;
    }

    /** |cpt's first loss - the reference's first loss| (same weights, same batch); NaN when not measured. */
    public double initialLossDifference() {
        return reference.measuredOk()
                ? Math.abs(ours.lossFirst() - reference.measurement().throughput().lossFirst())
                : Double.NaN;
    }

    /** VmRSS growth from the first to the last mark of the memory run, percent; NaN with fewer than 2 marks. */
    public double rssGrowthPercent() {
        if (rss.size() < 2 || rss.get(0).rssKb() <= 0) {
            return Double.NaN;
        }
        return 100.0 * (rss.get(rss.size() - 1).rssKb() - rss.get(0).rssKb()) / rss.get(0).rssKb();
    }

    /** Growth of VmRSS without the resident Java heap from the first to the last mark, percent; NaN if unknown. */
    public double nonHeapGrowthPercent() {
        if (rss.size() < 2 || rss.get(0).nonHeapKb() <= 0 || rss.get(rss.size() - 1).nonHeapKb() < 0) {
            return Double.NaN;
        }
        return 100.0 * (rss.get(rss.size() - 1).nonHeapKb() - rss.get(0).nonHeapKb()) / rss.get(0).nonHeapKb();
    }

    /** The report, last line {@code trainer_vs_pytorch_eager=<x.xx|n/a> flops_fraction=<y.yy>}. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        int t = config.context();
        out.add(String.format(Locale.ROOT, "model: preset %s = d %d, %d layers, %d heads, MLP x%d, vocab %d, context %d: "
                        + "%.2f M parameters, %.2f MFLOP/token (6N + 12LdT)", options.preset(), config.dModel(),
                config.layers(), config.heads(), config.mlpRatio(), config.vocabSize(), t,
                config.parameterCount() / 1e6, flopsPerToken() / 1e6));
        out.add(String.format(Locale.ROOT, "run: batch %d x %d tokens, %d threads, %d warm-up + %d timed steps, AdamW "
                        + "lr %.0e, the same initial weights and token batches on both sides", options.batch(), t,
                options.threads(), options.warmup(), options.steps(), TrainerBench.LR));
        out.add("");
        String header = String.format(Locale.ROOT, "%-34s %10s %9s %9s %9s %9s %8s %8s", "implementation", "tokens/s",
                "ms/step", "forward", "backward", "optimizer", "loss@1", "loss@end");
        out.add(header);
        out.add(row("cpt (DJL, libtorch " + engineVersion + ")", ours));
        if (reference.measuredOk()) {
            PythonReference.Measurement m = reference.measurement();
            out.add(row("pytorch eager (torch " + m.torchVersion() + ")", m.throughput()));
        } else {
            out.add(String.format(Locale.ROOT, "%-34s %10s", "pytorch eager", "n/a"));
        }
        out.add("");
        if (ours.skippedSteps() > 0 || ours.firstSkip() != null) {
            out.add(String.format(Locale.ROOT, "WARNING: cpt skipped %d of %d timed steps (no update applied); first: %s",
                    ours.skippedSteps(), ours.steps(), ours.firstSkip()));
        }
        if (reference.measuredOk()) {
            PythonReference.Measurement m = reference.measurement();
            out.add(String.format(Locale.ROOT, "reference: %s, BLAS %s, peak RSS %d MiB; initial loss differs by %.1e",
                    PythonReference.DEFAULT_PYTHON.equals(options.python()) ? "Debian python3-torch" : options.python(),
                    m.blas(), m.maxRssKb() / 1024, initialLossDifference()));
            if (!m.openBlas()) {
                out.add("WARNING: the reference did not run on OpenBLAS (reference BLAS is ~10x slower): "
                        + "apt-get install -y libopenblas0-pthread for a fair baseline");
            }
            if (!(initialLossDifference() <= SAME_MODEL_TOLERANCE)) {
                out.add(String.format(Locale.ROOT, "WARNING: initial losses differ by %.3g > %.0e: the reference does "
                        + "not compute the same model", initialLossDifference(), SAME_MODEL_TOLERANCE));
            }
        } else {
            out.add("reference: " + reference.status().name().toLowerCase(Locale.ROOT)
                    + (reference.status() == Status.SKIPPED ? " (" + reference.message() + ")" : ": " + reference.message()));
        }
        String referenceMatmul = "";
        if (reference.measuredOk() && Double.isFinite(reference.measurement().matmulFlops())) {
            referenceMatmul = String.format(Locale.ROOT, "; torch %s (reference) %.1f GFLOP/s",
                    reference.measurement().torchVersion(), reference.measurement().matmulFlops() / 1e9);
        }
        out.add(String.format(Locale.ROOT, "matmul %d^3: libtorch %s %.1f GFLOP/s%s", options.matmulN(), engineVersion,
                matmulFlops / 1e9, referenceMatmul));
        out.add(String.format(Locale.ROOT, "achieved by cpt: %.1f GFLOP/s = %.0f tokens/s x %.3f MFLOP/token = %.2f of "
                        + "the libtorch matmul", achievedFlops() / 1e9, ours.tokensPerSecond(), flopsPerToken() / 1e6,
                flopsFraction()));
        out.add(String.format(Locale.ROOT, "cpt process: peak RSS %d MiB", oursPeakRssKb / 1024));
        if (!rss.isEmpty()) {
            StringBuilder sb = new StringBuilder("memory run: VmRSS ");
            sb.append(String.format(Locale.ROOT, "%d MiB before", rssBeforeKb / 1024));
            for (RssMark m : rss) {
                sb.append(String.format(Locale.ROOT, ", %d MiB at step %d (Java heap resident %d MiB)", m.rssKb() / 1024,
                        m.step(), m.heapResidentKb() / 1024));
            }
            out.add(sb.toString());
            if (memoryRunSkippedSteps > 0) {
                out.add(String.format(Locale.ROOT, "WARNING: the memory run skipped %d of %d steps; first: %s",
                        memoryRunSkippedSteps, rss.get(rss.size() - 1).step(), memoryRunFirstSkip));
            }
            if (rss.size() >= 2) {
                RssMark first = rss.get(0);
                RssMark last = rss.get(rss.size() - 1);
                if (first.nonHeapKb() > 0 && last.nonHeapKb() >= 0) {
                    out.add(String.format(Locale.ROOT, "  without the Java heap: %d -> %d MiB, growth %.2f%%; the heap's "
                                    + "resident pages %d -> %d MiB of %d MiB committed", first.nonHeapKb() / 1024,
                            last.nonHeapKb() / 1024, nonHeapGrowthPercent(), first.heapResidentKb() / 1024,
                            last.heapResidentKb() / 1024, last.heapCommittedBytes() >> 20));
                    if (last.heapResidentKb() - first.heapResidentKb() > 0.5 * (last.rssKb() - first.rssKb())
                            && last.rssKb() - first.rssKb() > 0.01 * first.rssKb()) {
                        out.add("  (most of the growth is the Java heap's committed pages being written for the first "
                                + "time, not a leak: -XX:+AlwaysPreTouch, which ./cpt passes to long-running commands, makes them "
                                + "resident from the start)");
                    }
                }
                out.add(String.format(Locale.ROOT, "rss_growth=%.2f%% from step %d to step %d (%d -> %d kB)",
                        rssGrowthPercent(), first.step(), last.step(), first.rssKb(), last.rssKb()));
            }
        }
        out.add(lastLine());
        return List.copyOf(out);
    }

    /** {@code trainer_vs_pytorch_eager=<x.xx|n/a> flops_fraction=<y.yy>}. */
    public String lastLine() {
        double r = ratio();
        return "trainer_vs_pytorch_eager=" + (Double.isFinite(r) ? String.format(Locale.ROOT, "%.2f", r) : "n/a")
                + " flops_fraction=" + String.format(Locale.ROOT, "%.2f", flopsFraction());
    }

    private static String row(String name, Throughput t) {
        return String.format(Locale.ROOT, "%-34s %10.0f %9.2f %9.2f %9.2f %9.2f %8.4f %8.4f", name, t.tokensPerSecond(),
                t.msPerStep(), t.forwardMs(), t.backwardMs(), t.optimizerMs(), t.lossFirst(), t.lossLast());
    }
}
