package dev.cpt.ingest.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of {@code cpt bench ingest}: both timed runs, the accounting of every input byte,
 * and what did not match.
 *
 * @param problems empty when the output, the meters and the copy all agree with the input
 */
public record BenchReport(String input, int sequenceLength, int ingestThreads, long commitIntervalMs, BenchLoader.Loaded loaded,
                          IngestRun.Ingested ingested, RawCopy.Copied copied, OutputCheck.Output output, List<String> problems) {

    public static final String RATIO_KEY = "ingest_vs_raw_copy";

    public BenchReport {
        problems = List.copyOf(problems);
    }

    /** The ingest, timed from RUNNING (start-up excluded) until the whole input was committed. */
    public RunResult ingest() {
        return new RunResult("ingest", loaded.records(), loaded.textBytes(), ingested.processing());
    }

    /** The ingest with its start-up (rebalance, store set-up) included. */
    public RunResult ingestWithStartup() {
        return new RunResult("ingest + start-up", loaded.records(), loaded.textBytes(), ingested.startup().plus(ingested.processing()));
    }

    public RunResult copy() {
        return new RunResult("raw copy", copied.records(), loaded.textBytes(), copied.elapsed());
    }

    /** Ingest MB/s over raw-copy MB/s. */
    public double ratio() {
        return ingest().megabytesPerSecond() / copy().megabytesPerSecond();
    }

    public boolean verified() {
        return problems.isEmpty();
    }

    /** The report, one string per line; the last is {@code ingest_vs_raw_copy=<ratio>}. */
    public List<String> lines() {
        Expectation e = loaded.expectation();
        List<String> out = new ArrayList<>();
        out.add(f("cpt bench ingest: %s; %d documents, %.2f MB of text (MB = 10^6 UTF-8 bytes of document text); "
                        + "sequence length %d, %d ingest thread(s), commit interval %d ms",
                input, loaded.records(), loaded.textBytes() / 1e6, sequenceLength, ingestThreads, commitIntervalMs));
        out.add(f("%-18s %9s %9s %9s %9s %10s", "run", "MB", "docs", "seconds", "MB/s", "docs/s"));
        for (RunResult r : List.of(ingest(), copy(), ingestWithStartup())) {
            out.add(f("%-18s %9.2f %9d %9.3f %9.3f %10.1f", r.name(), r.megabytes(), r.documents(), r.seconds(),
                    r.megabytesPerSecond(), r.documentsPerSecond()));
        }
        out.add(f("ingest: timed from RUNNING to the end offsets of the documents topic committed; start-up before RUNNING "
                + "(%.3f s) is excluded from the ratio (see 'ingest + start-up')", ingested.startup().toNanos() / 1e9));
        IngestRun.ThreadTimes tt = ingested.threadTimes();
        double window = ingested.processing().toNanos() / 1e9;
        out.add(f("ingest stream thread(s) in the timed window (thread-seconds): %s on CPU; %.3f s blocked on Kafka "
                        + "(waiting for input %.3f s, flush before commit %.3f s, sendOffsetsToTransaction %.3f s, "
                        + "commitTransaction %.3f s; %d commits)",
                tt.streamCpuNs() < 0 ? "?" : f("%.3f s", tt.streamCpuNs() / 1e9), tt.blockedNs() / 1e9, tt.pollWaitNs() / 1e9,
                tt.flushNs() / 1e9, tt.sendOffsetsNs() / 1e9, tt.commitTxnNs() / 1e9, tt.commits()));
        IngestRun.Meters m = ingested.meters();
        out.add(f("lookahead (cpt.ingest.lookahead.threads): %d of %d records validated and hashed by its worker(s), %s on CPU in the timed window",
                m.validatedAhead(), m.documentsIn(), tt.lookaheadCpuNs() < 0 ? "?" : f("%.3f s", tt.lookaheadCpuNs() / 1e9)));
        out.add(f("producer hand-off (cpt.ingest.producer.handoff): its sender thread(s) %s on CPU in the timed window (appending and compressing the output)",
                tt.handoffCpuNs() < 0 ? "?" : f("%.3f s", tt.handoffCpuNs() / 1e9)));
        out.add(f("whole process in the timed window (broker, clients, JIT, GC): %s CPU of %.3f s x %d cores; JIT compiling %s; "
                        + "garbage collection pauses %s",
                tt.processCpuNs() < 0 ? "?" : f("%.3f s", tt.processCpuNs() / 1e9), window, Runtime.getRuntime().availableProcessors(),
                tt.jitMs() < 0 ? "?" : f("%.3f s", tt.jitMs() / 1e3), tt.gc().describe()));
        out.add(f("raw copy: read_committed consumer -> transactional producer, timed from the first poll to the last of %d "
                + "commits (every %d ms, offsets sent with each); garbage collection pauses %s", copied.transactions(), commitIntervalMs,
                copied.gc().describe()));
        long sequences = output.trainSequences() + output.heldoutSequences();
        out.add(f("output: %d sequences in %d records, %.2f MB of record values before compression (%.3f bytes per byte of accepted text)",
                sequences, output.records(), output.sequenceBytes() / 1e6, e.acceptedBytes() == 0 ? 0.0 : output.sequenceBytes() / (double) e.acceptedBytes()));
        out.add(f("accounted: %d text bytes = %d accepted + %d duplicate + %d dead-lettered; %d tokens = %d sequences x %d + %d "
                        + "waiting in pack state; %s",
                e.inputTextBytes(), e.acceptedBytes(), e.duplicateBytes(), e.rejectedTextBytes(), e.tokens(), sequences,
                sequenceLength, e.remainderTokens(),
                verified() ? "output, meters and copy verified" : "NOT VERIFIED: " + problems.size() + " problem(s)"));
        out.add(f("%s=%.2f", RATIO_KEY, ratio()));
        return out;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
