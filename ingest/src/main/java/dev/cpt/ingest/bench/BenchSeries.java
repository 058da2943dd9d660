package dev.cpt.ingest.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of {@code cpt bench ingest --runs N}: N complete benches in one JVM, each on fresh
 * topics and state. On a small machine two runs of one command differ by a tenth or more (the
 * broker, the clients and the JIT compiler share the cores), so the figure is the median of the
 * runs' ratios; each ratio compares an ingest with the copy timed right after it. The warm-up runs
 * before them are listed, and counted in nothing.
 */
public record BenchSeries(List<BenchReport> warmups, List<BenchReport> runs) {

    public BenchSeries {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a series needs at least one run");
        }
        warmups = List.copyOf(warmups);
        runs = List.copyOf(runs);
    }

    /** The median of the runs' ratios (the mean of the middle two for an even count). */
    public double ratio() {
        List<Double> r = sortedRatios();
        int n = r.size();
        return n % 2 == 1 ? r.get(n / 2) : (r.get(n / 2 - 1) + r.get(n / 2)) / 2;
    }

    /** The run at the (lower) median, whose figures the report details. */
    public BenchReport median() {
        List<BenchReport> sorted = runs.stream().sorted(Comparator.comparingDouble(BenchReport::ratio)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    public boolean verified() {
        return runs.stream().allMatch(BenchReport::verified);
    }

    /** Every run's mismatches, each prefixed with its run when there are several. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            String prefix = runs.size() == 1 ? "" : "run " + (i + 1) + ": ";
            runs.get(i).problems().forEach(x -> p.add(prefix + x));
        }
        return p;
    }

    /**
     * One run and no more than one warm-up: its report. Otherwise: the median run's report, a line per warm-up
     * and per run, then {@code ingest_vs_raw_copy=<median>}.
     */
    public List<String> lines() {
        if (runs.size() == 1 && warmups.size() <= 1) {
            return runs.get(0).lines();
        }
        BenchReport median = median();
        List<String> out = new ArrayList<>(median.lines().subList(0, median.lines().size() - 1));
        out.add(f("runs: %d in this JVM, each on fresh topics; the figures above are run %d's, the median's", runs.size(),
                runs.indexOf(median) + 1));
        out.add(f("%-6s %12s %12s %9s  %-34s %s", "run", "ingest MB/s", "copy MB/s", "ratio", "ingest's window: JIT, GC pauses",
                "copy's window: GC pauses"));
        for (int i = 0; i < warmups.size(); i++) {
            out.add(row("w" + (i + 1), warmups.get(i)));
        }
        for (int i = 0; i < runs.size(); i++) {
            out.add(row(String.valueOf(i + 1), runs.get(i)));
        }
        List<Double> sorted = sortedRatios();
        out.add(f("median of %d runs%s; lowest %.2f, highest %.2f", runs.size(),
                warmups.isEmpty() ? "" : warmups.size() == 1 ? " (warm-up w1 not counted)" : f(" (warm-ups w1..w%d not counted)", warmups.size()),
                sorted.get(0), sorted.get(sorted.size() - 1)));
        out.add(f("%s=%.2f", BenchReport.RATIO_KEY, ratio()));
        return out;
    }

    private static String row(String name, BenchReport r) {
        long jit = r.ingested().threadTimes().jitMs();
        return f("%-6s %12.3f %12.3f %9.2f  %-34s %s", name, r.ingest().megabytesPerSecond(), r.copy().megabytesPerSecond(), r.ratio(),
                (jit < 0 ? "?" : f("JIT %.3f s", jit / 1e3)) + ", " + r.ingested().threadTimes().gc().describe(), r.copied().gc().describe());
    }

    private List<Double> sortedRatios() {
        return runs.stream().map(BenchReport::ratio).sorted().toList();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
