package dev.cpt.ingest.bench;

import dev.cpt.core.config.Config;
import dev.cpt.core.kafka.Topics;
import dev.cpt.ingest.IngestService;
import dev.cpt.ingest.metrics.IngestMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Timed run of the ingest: starts {@link IngestService} on the configuration's (fresh) state
 * directory and waits until the ingest's consumer group has committed the end offset of every
 * partition of the documents topic. Under exactly_once_v2 the input offsets commit in the same
 * transaction as the output, so at that moment every sequence made from the input is committed.
 */
public final class IngestRun {

    /**
     * @param startup    from {@code IngestService.start} until it reported RUNNING (rebalance, store set-up)
     * @param processing from RUNNING until the input's end offsets were committed
     * @param meters     the ingest's meters at the end
     */
    public record Ingested(Duration startup, Duration processing, Meters meters, ThreadTimes threadTimes) {
    }

    /**
     * Where the ingest's stream thread(s) spent the timed window, from Kafka's own client metrics
     * (thread-seconds, summed over stream threads).
     *
     * @param blockedNs      blocked on Kafka (KIP-761: waiting in poll for input, in flush and in the transaction calls)
     * @param pollWaitNs     the main consumer waiting for fetch responses
     * @param flushNs        waiting for the producer's acknowledgements before a commit
     * @param sendOffsetsNs  {@code sendOffsetsToTransaction}
     * @param commitTxnNs    {@code commitTransaction}
     * @param commits        commits of the stream thread(s)
     * @param streamCpuNs    CPU time of the stream thread(s) (-1 when the JVM cannot tell)
     * @param lookaheadCpuNs CPU time of their lookahead workers (-1 when the JVM cannot tell)
     * @param handoffCpuNs   CPU time of their producers' sender threads ({@code HandoffProducer}; -1 when the JVM cannot tell)
     * @param processCpuNs   CPU time of this whole process: broker, clients, JIT compiler, GC (-1 when unknown)
     * @param jitMs          time the JIT compiler spent compiling (-1 when unknown)
     * @param gc             garbage collections, which stop every thread of the process
     */
    public record ThreadTimes(long blockedNs, long pollWaitNs, long flushNs, long sendOffsetsNs, long commitTxnNs, long commits,
                              long streamCpuNs, long lookaheadCpuNs, long handoffCpuNs, long processCpuNs, long jitMs, GcPauses gc) {

        static ThreadTimes of(MeterRegistry r) {
            return new ThreadTimes(total(r, "kafka.stream.thread.blocked.time.ns.total", false),
                    total(r, "kafka.consumer.io.wait.time.ns.total", true), total(r, "kafka.producer.flush.time.ns.total", false),
                    total(r, "kafka.producer.txn.send.offsets.time.ns.total", false),
                    total(r, "kafka.producer.txn.commit.time.ns.total", false), total(r, "kafka.stream.thread.commit.total", false),
                    threadCpu(STREAM_THREAD), threadCpu(LOOKAHEAD_THREAD), threadCpu(HANDOFF_THREAD), processCpu(), jit(),
                    GcPauses.sinceStart());
        }

        ThreadTimes minus(ThreadTimes o) {
            return new ThreadTimes(blockedNs - o.blockedNs, pollWaitNs - o.pollWaitNs, flushNs - o.flushNs,
                    sendOffsetsNs - o.sendOffsetsNs, commitTxnNs - o.commitTxnNs, commits - o.commits,
                    diff(streamCpuNs, o.streamCpuNs), diff(lookaheadCpuNs, o.lookaheadCpuNs), diff(handoffCpuNs, o.handoffCpuNs),
                    diff(processCpuNs, o.processCpuNs), diff(jitMs, o.jitMs), gc.minus(o.gc));
        }

        private static long diff(long a, long b) {
            return a < 0 || b < 0 ? -1 : a - b;
        }

        private static long threadCpu(Pattern names) {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            if (!mx.isThreadCpuTimeSupported() || !mx.isThreadCpuTimeEnabled()) {
                return -1;
            }
            long sum = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (names.matcher(t.getName()).matches()) {
                    long c = mx.getThreadCpuTime(t.getId());
                    sum += Math.max(0, c);
                }
            }
            return sum;
        }

        private static long processCpu() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime() : -1;
        }

        private static long jit() {
            CompilationMXBean c = ManagementFactory.getCompilationMXBean();
            return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : -1;
        }

        /** Sum of the meter over the ingest's clients; the restore consumer left out when {@code mainConsumerOnly}. */
        private static long total(MeterRegistry r, String name, boolean mainConsumerOnly) {
            double sum = 0;
            for (Meter m : r.find(name).meters()) {
                if (mainConsumerOnly && m.getId().getTags().stream().anyMatch(t -> t.getValue().contains("restore"))) {
                    continue;
                }
                for (Measurement x : m.measure()) {
                    if (Double.isFinite(x.getValue())) {
                        sum += x.getValue();
                    }
                    break;
                }
            }
            return Math.round(sum);
        }
    }

    /** The ingest's own counts (IngestMetrics), summed over tags. */
    public record Meters(long documentsIn, long accepted, long duplicates, long deadLetters, long bytes, long tokens,
                         long trainSequences, long heldoutSequences, long validatedAhead, long validatedInline) {

        static Meters of(MeterRegistry r) {
            return new Meters(sum(r.find(IngestMetrics.DOCUMENTS_IN)), sum(r.find(IngestMetrics.DOCUMENTS).tag("outcome", "accepted")),
                    sum(r.find(IngestMetrics.DOCUMENTS).tag("outcome", "duplicate")), sum(r.find(IngestMetrics.DEAD_LETTERS)),
                    sum(r.find(IngestMetrics.BYTES)), sum(r.find(IngestMetrics.TOKENS)),
                    sum(r.find(IngestMetrics.SEQUENCES).tag("split", "train")), sum(r.find(IngestMetrics.SEQUENCES).tag("split", "heldout")),
                    sum(r.find(IngestMetrics.VALIDATIONS).tag("thread", "lookahead")),
                    sum(r.find(IngestMetrics.VALIDATIONS).tag("thread", "stream")));
        }

        private static long sum(Search s) {
            return Math.round(s.counters().stream().mapToDouble(Counter::count).sum());
        }
    }

    /** 10 ms: the admin client asks the broker only at the end of the window, the in-process wait before costs nothing */
    private static final long POLL_MS = 10;
    /** Kafka Streams names its processing threads {@code <client id>-StreamThread-<n>}. */
    private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+");
    /** {@code Lookahead} names its workers {@code cpt-lookahead-<n>-<consumer client id>}. */
    private static final Pattern LOOKAHEAD_THREAD = Pattern.compile("cpt-lookahead-\\d+-.*");
    /** {@code HandoffClientSupplier} names a producer's sender thread {@code cpt-handoff-<producer client id>}. */
    private static final Pattern HANDOFF_THREAD = Pattern.compile("cpt-handoff-.*");

    private IngestRun() {
    }

    /**
     * @param records the records on the documents topic: the run ends when the ingest has read them all
     *                and committed their offsets
     */
    public static Ingested run(Config config, String bootstrap, long records, Duration timeout, Consumer<String> progress) {
        String docs = Topics.from(config).docs();
        String group = BenchClients.applicationId(config);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Admin admin = BenchClients.admin(bootstrap)) {
            Map<TopicPartition, Long> end = endOffsets(admin, docs);
            long t0 = System.nanoTime();
            IngestService ingest = IngestService.start(config, bootstrap, registry, Duration.ofSeconds(120));
            long t1 = System.nanoTime();
            ThreadTimes atStart = ThreadTimes.of(registry);
            long t2;
            ThreadTimes atEnd;
            try {
                // first in-process, from the ingest's own meter: asking the broker 50 times a second through
                // the whole window would load the broker and the JIT, which the ingest shares them with
                waitRead(registry, records, t1 + timeout.toNanos(), progress);
                waitCommitted(admin, group, end, t1 + timeout.toNanos(), progress);
                t2 = System.nanoTime();
                atEnd = ThreadTimes.of(registry);
            } finally {
                ingest.close();
            }
            return new Ingested(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Meters.of(registry), atEnd.minus(atStart));
        } finally {
            registry.close();
        }
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) {
        // a topic created a moment ago may not be known to the partition leader yet: retry that, briefly
        for (int attempt = 1; ; attempt++) {
            try {
                return endOffsetsOnce(admin, topic);
            } catch (IllegalStateException e) {
                if (attempt >= 50 || !(e.getCause() instanceof ExecutionException x
                        && x.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", ie);
                }
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsetsOnce(Admin admin, String topic) {
        try {
            var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions();
            Map<TopicPartition, OffsetSpec> specs = partitions.stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            return admin.listOffsets(specs).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void waitRead(MeterRegistry registry, long records, long deadline, Consumer<String> progress) {
        await("read", records, () -> Math.round(registry.get(IngestMetrics.DOCUMENTS_IN).counter().count()), deadline, progress);
    }

    private static void waitCommitted(Admin admin, String group, Map<TopicPartition, Long> end, long deadline, Consumer<String> progress) {
        long total = end.values().stream().mapToLong(Long::longValue).sum();
        await("committed", total, () -> {
            Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, group);
            long done = 0; // total only when every partition is committed to its end
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                done += Math.min(c == null ? 0 : c.offset(), e.getValue());
            }
            return done;
        }, deadline, progress);
    }

    /** Polls {@code done} every {@link #POLL_MS} until it reaches {@code total}, with a progress line every 5 s. */
    private static void await(String participle, long total, LongSupplier done, long deadline, Consumer<String> progress) {
        long lastReport = System.nanoTime();
        while (true) {
            long d = done.getAsLong();
            if (d >= total) {
                return;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException("the ingest did not get through the whole input in time: " + d + " of " + total
                        + " records of the documents topic " + participle);
            }
            if (now - lastReport > 5_000_000_000L) {
                progress.accept("ingest: " + d + " of " + total + " records " + participle);
                lastReport = now;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the ingest", e);
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            return m.entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the committed offsets of group " + group + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
