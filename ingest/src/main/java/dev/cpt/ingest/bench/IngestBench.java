package dev.cpt.ingest.bench;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.CoreSettings;
import dev.cpt.core.config.IngestSettings;
import dev.cpt.core.config.KafkaSettings;
import dev.cpt.core.kafka.TopicProvisioner;
import dev.cpt.core.kafka.TopicSpec;
import dev.cpt.core.kafka.Topics;
import dev.cpt.ingest.topology.IngestOptions;
import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code cpt bench ingest} without the broker: on an empty cluster, pushes the input (not timed),
 * runs the ingest (timed), checks its output, then copies the same records with a minimal
 * exactly-once consume -> produce loop (timed) for comparison; as often as asked
 * ({@link BenchSeries}).
 */
public final class IngestBench {

    private IngestBench() {
    }

    /** The topic the raw copy writes to: {@code <prefix>.bench.copy}. */
    public static String copyTopic(Config config) {
        return config.get(KafkaSettings.TOPIC_PREFIX) + ".bench.copy";
    }

    /**
     * {@code runs} complete benches one after the other, after warm-ups: the whole bench {@code warmupRuns}
     * times on {@code warmup}, warm-up k under other topics ({@code <prefix>-warmup<k>.*}), another application
     * id and state directory, so that the measured runs find the JIT compiler done with the ingest's and the
     * clients' code, start-up included (every run starts a fresh Streams instance, whose first minutes compile
     * code the previous ones did not reach); their figures are listed, not counted. With several runs, run k
     * uses the topics {@code <prefix>-run<k>.*} and its own application id and state directory.
     *
     * @param bootstrap an empty cluster (the bench needs an empty documents topic and no ingest state)
     * @param workDir   a fresh directory: becomes {@code cpt.data.dir}, so the ingest's state lives under it
     * @param warmup    null for none
     * @param warmupRuns how many warm-ups on {@code warmup}, at least 1 (ignored without one)
     * @param runs      at least 1
     * @param progress  receives a line now and then (for stderr)
     */
    public static BenchSeries run(Config config, String bootstrap, Path workDir, BenchInput input, BenchInput warmup, int warmupRuns,
                                  int runs, Consumer<String> progress) {
        if (runs < 1 || warmupRuns < 1) {
            throw new IllegalArgumentException("runs and warm-up runs must be >= 1: " + runs + ", " + warmupRuns);
        }
        List<BenchReport> warmups = new ArrayList<>();
        for (int k = 1; warmup != null && k <= warmupRuns; k++) {
            progress.accept("bench: warm-up " + k + " of " + warmupRuns + " with " + warmup.targetBytes() / 1e6 + " MB (not counted)");
            BenchReport r = measure(renamed(config, "-warmup" + k), bootstrap, workDir.resolve("warmup" + k), warmup, progress);
            progress.accept(String.format(java.util.Locale.ROOT, "bench: warm-up %d done (%s=%.2f%s)", k, BenchReport.RATIO_KEY, r.ratio(),
                    r.verified() ? "" : "; NOT VERIFIED: " + String.join("; ", r.problems())));
            warmups.add(r);
        }
        List<BenchReport> reports = new ArrayList<>();
        for (int k = 1; k <= runs; k++) {
            Config c = runs == 1 ? config : renamed(config, "-run" + k);
            BenchReport r = measure(c, bootstrap, runs == 1 ? workDir : workDir.resolve("run" + k), input, progress);
            if (runs > 1) {
                progress.accept(String.format(java.util.Locale.ROOT, "bench: run %d of %d: %s=%.2f", k, runs, BenchReport.RATIO_KEY, r.ratio()));
            }
            reports.add(warmup == null ? r : new BenchReport(
                    r.input() + String.format(java.util.Locale.ROOT, ", after %d warm-up(s) on %.2f MB", warmupRuns, warmup.targetBytes() / 1e6),
                    r.sequenceLength(), r.ingestThreads(), r.commitIntervalMs(), r.loaded(), r.ingested(), r.copied(), r.output(),
                    r.problems()));
        }
        return new BenchSeries(warmups, reports);
    }

    /** The configuration with {@code suffix} on the topic prefix and the application id: a bench of its own on one broker. */
    private static Config renamed(Config config, String suffix) {
        return config.with(KafkaSettings.TOPIC_PREFIX, config.get(KafkaSettings.TOPIC_PREFIX) + suffix)
                .with(IngestSettings.APPLICATION_ID, config.get(IngestSettings.APPLICATION_ID) + suffix);
    }

    private static BenchReport measure(Config config, String bootstrap, Path workDir, BenchInput input, Consumer<String> progress) {
        Config cfg = config.with(CoreSettings.DATA_DIR, workDir.toString());
        Topics topics = Topics.from(cfg);
        Duration timeout = Duration.ofSeconds(120 + 20 * Math.max(1, input.targetBytes() / 1_000_000));
        createTopics(cfg, bootstrap);

        progress.accept("bench: pushing " + input.description() + " to " + topics.docs() + " (not timed)");
        BenchLoader.Loaded loaded = BenchLoader.load(cfg, bootstrap, topics.docs(), input, new Expectation(IngestOptions.from(cfg)));
        progress.accept(String.format(java.util.Locale.ROOT, "bench: pushed %d documents, %.2f MB of text (%d bytes of record values) in %.1f s",
                loaded.records(), loaded.textBytes() / 1e6, loaded.valueBytes(), loaded.took().toNanos() / 1e9));

        progress.accept("bench: timed run 1, the ingest");
        IngestRun.Ingested ingested = IngestRun.run(cfg, bootstrap, loaded.records(), timeout, progress);
        OutputCheck.Output output = OutputCheck.check(cfg, bootstrap, loaded.expectation(), timeout);

        progress.accept("bench: timed run 2, the raw exactly-once copy");
        Duration commitInterval = cfg.get(IngestSettings.COMMIT_INTERVAL);
        RawCopy.Copied copied = RawCopy.run(cfg, bootstrap, topics.docs(), copyTopic(cfg), commitInterval, timeout, progress);

        List<String> problems = new ArrayList<>(output.problems());
        problems.addAll(reconcile(loaded, ingested.meters(), output, copied));
        return new BenchReport(input.description(), cfg.get(IngestSettings.SEQUENCE_LENGTH), cfg.get(IngestSettings.THREADS),
                commitInterval.toMillis(), loaded, ingested, copied, output, problems);
    }

    private static void createTopics(Config cfg, String bootstrap) {
        List<TopicSpec> specs = new ArrayList<>(TopicSpec.forFlow(cfg));
        int rf = cfg.get(KafkaSettings.TOPIC_REPLICATION);
        specs.add(new TopicSpec(copyTopic(cfg), cfg.get(KafkaSettings.TOPIC_PARTITIONS),
                rf < 0 ? Optional.empty() : Optional.of((short) rf), Optional.of(cfg.get(KafkaSettings.TOPIC_RETENTION))));
        String docs = Topics.from(cfg).docs();
        try (Admin admin = BenchClients.admin(bootstrap)) {
            TopicProvisioner.ensure(admin, specs, cfg.get(KafkaSettings.ADMIN_TIMEOUT), bootstrap);
            Map<?, Long> end = IngestRun.endOffsets(admin, docs);
            if (end.values().stream().anyMatch(o -> o > 0)) {
                throw new IllegalStateException("the bench needs an empty " + docs + " topic; " + bootstrap + " already holds records");
            }
        }
    }

    /** Every figure that must agree: the input, the ingest's meters, the output topics and the copy. */
    static List<String> reconcile(BenchLoader.Loaded loaded, IngestRun.Meters m, OutputCheck.Output output, RawCopy.Copied copied) {
        Expectation e = loaded.expectation();
        List<String> p = new ArrayList<>();
        same(p, "documents read by the ingest (meter)", m.documentsIn(), loaded.records());
        same(p, "accepted documents (meter)", m.accepted(), e.accepted());
        same(p, "duplicate documents (meter)", m.duplicates(), e.duplicates());
        same(p, "dead letters (meter)", m.deadLetters(), e.rejected());
        same(p, "accepted bytes (meter)", m.bytes(), e.acceptedBytes());
        same(p, "tokens (meter)", m.tokens(), e.tokens());
        same(p, "training sequences (meter)", m.trainSequences(), output.trainSequences());
        same(p, "held-out sequences (meter)", m.heldoutSequences(), output.heldoutSequences());
        same(p, "training sequences on the topic", output.trainSequences(), e.sequences(false));
        same(p, "held-out sequences on the topic", output.heldoutSequences(), e.sequences(true));
        same(p, "text bytes accounted for", e.acceptedBytes() + e.duplicateBytes() + e.rejectedTextBytes(), e.inputTextBytes());
        same(p, "tokens accounted for (sequences x length + pack remainders)",
                (output.trainSequences() + output.heldoutSequences()) * e.sequenceLength() + e.remainderTokens(), e.tokens());
        same(p, "documents validated, by a lookahead worker or the stream thread (meter)", m.validatedAhead() + m.validatedInline(),
                m.documentsIn());
        same(p, "records copied", copied.records(), loaded.records());
        same(p, "value bytes copied", copied.valueBytes(), loaded.valueBytes());
        return p;
    }

    private static void same(List<String> problems, String what, long got, long expected) {
        if (got != expected) {
            problems.add(what + ": " + got + ", expected " + expected);
        }
    }
}
