package dev.cpt.monitor.events;

import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.format.DlqReason;
import dev.cpt.core.format.DocHeaders;
import dev.cpt.core.format.Json;
import dev.cpt.core.format.TelemetryEvent;
import dev.cpt.core.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads what the monitor is made of, on one thread, without a consumer group: every event of
 * {@code cpt.checkpoints} from the beginning (the loss matrix is the whole history), the newest
 * {@code cpt.telemetry} event of each partition and then every new one, and new dead letters of
 * {@code cpt.docs.dlq} (counted by reason). Topics that do not exist yet are picked up when they
 * appear. A record that cannot be read is logged and skipped.
 */
public final class EventReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventReader.class);
    private static final Duration REFRESH = Duration.ofSeconds(5);

    /** What the reader hands on. Called on the reader's thread. */
    public interface Sink {
        void telemetry(TelemetryEvent e);

        void checkpoint(CheckpointEvent e);

        void deadLetter(String reason);

        /** The checkpoint history up to the end that existed at start has been read. */
        default void caughtUp() {
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final Sink sink;
    private final Thread thread;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile boolean stop;

    public EventReader(String bootstrapServers, Topics topics, Sink sink) {
        this.topics = topics;
        this.sink = sink;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "cpt-monitor",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::loop, "cpt-monitor-events");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long nextRefresh = 0;
        Map<TopicPartition, Long> catchUp = null;
        try {
            while (!stop) {
                if (System.currentTimeMillis() >= nextRefresh) {
                    assignNew();
                    nextRefresh = System.currentTimeMillis() + REFRESH.toMillis();
                    if (catchUp == null && assigned.stream().anyMatch(tp -> tp.topic().equals(topics.checkpoints()))) {
                        catchUp = consumer.endOffsets(assigned.stream().filter(tp -> tp.topic().equals(topics.checkpoints())).toList());
                    }
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    dispatch(r);
                }
                if (catchUp != null && !catchUp.isEmpty() && catchUp.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    catchUp.clear();
                    sink.caughtUp();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("the monitor's event reader stopped: its meters and loss matrix no longer update", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assignNew() {
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : List.of(topics.checkpoints(), topics.telemetry(), topics.dlq())) {
            List<PartitionInfo> parts = consumer.partitionsFor(topic, Duration.ofSeconds(2));
            if (parts != null) {
                for (PartitionInfo p : parts) {
                    TopicPartition tp = new TopicPartition(topic, p.partition());
                    if (assigned.add(tp)) {
                        added.add(tp);
                    }
                }
            }
        }
        if (added.isEmpty()) {
            return;
        }
        consumer.assign(assigned);
        for (TopicPartition tp : added) {
            if (tp.topic().equals(topics.checkpoints())) {
                consumer.seekToBeginning(List.of(tp));
            } else if (tp.topic().equals(topics.telemetry())) {
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
                consumer.seek(tp, Math.max(begin, end - 1)); // the newest event sets every gauge at once
            } else {
                consumer.seekToEnd(List.of(tp));
            }
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> r) {
        try {
            if (r.topic().equals(topics.checkpoints())) {
                sink.checkpoint(Json.MAPPER.readValue(r.value(), CheckpointEvent.class));
            } else if (r.topic().equals(topics.telemetry())) {
                sink.telemetry(Json.MAPPER.readValue(r.value(), TelemetryEvent.class));
            } else {
                Header h = r.headers().lastHeader(DocHeaders.ERROR);
                sink.deadLetter(reason(h == null ? null : new String(h.value(), StandardCharsets.UTF_8)));
            }
        } catch (Exception e) {
            log.warn("skipping {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    /** A known reason code, or "other": the tag must stay low-cardinality whatever a producer writes. */
    static String reason(String header) {
        for (DlqReason r : DlqReason.values()) {
            if (r.code().equals(header)) {
                return header;
            }
        }
        return "other";
    }

    @Override
    public void close() {
        stop = true;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
