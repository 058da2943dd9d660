package dev.cpt.ingest.bench;

import dev.cpt.core.config.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The baseline: a minimal exactly-once consume -> produce copy of a topic, the least any
 * exactly-once pipeline must do. One read_committed consumer with manual assignment, one
 * transactional producer (acks=all, idempotent, the ingest's compression and batching) that commits
 * every {@code commitInterval} with the input offsets (sendOffsetsToTransaction), like Kafka Streams
 * under exactly_once_v2. Timed from the first poll to the last transaction committed.
 */
public final class RawCopy {

    /** What the copy moved, how long it took and the garbage collections in that time. */
    public record Copied(long records, long valueBytes, long transactions, Duration elapsed, GcPauses gc) {
    }

    public static final String GROUP = "cpt-bench-copy";

    private RawCopy() {
    }

    public static Copied run(Config config, String bootstrap, String from, String to, Duration commitInterval,
                             Duration timeout, Consumer<String> progress) {
        Map<String, Object> pc = BenchClients.producer(config, bootstrap, "cpt-bench-copy-producer");
        pc.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cpt-bench-copy");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                BenchClients.consumer(config, bootstrap, "cpt-bench-copy-consumer", GROUP), new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pc, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(from).stream()
                    .map((PartitionInfo p) -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            producer.initTransactions();
            boolean done = reachedEnd(consumer, end); // resolves the start positions before the clock starts

            GcPauses gc0 = GcPauses.sinceStart();
            long t0 = System.nanoTime();
            long deadline = t0 + timeout.toNanos();
            long intervalNanos = commitInterval.toNanos();
            long lastCommit = t0;
            long lastReport = t0;
            long records = 0;
            long bytes = 0;
            long transactions = 0;
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            producer.beginTransaction();
            while (!done) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    producer.send(new ProducerRecord<>(to, null, r.timestamp(), r.key(), r.value(), r.headers()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    records++;
                    bytes += r.value() == null ? 0 : r.value().length;
                }
                done = reachedEnd(consumer, end);
                long now = System.nanoTime();
                if (done || now - lastCommit >= intervalNanos) {
                    if (!offsets.isEmpty()) {
                        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                        offsets = new HashMap<>();
                    }
                    producer.commitTransaction();
                    transactions++;
                    lastCommit = System.nanoTime();
                    if (!done) {
                        producer.beginTransaction();
                    }
                }
                if (!done && now > deadline) {
                    producer.abortTransaction();
                    throw new IllegalStateException("the raw copy did not finish within " + timeout.toSeconds() + " s ("
                            + records + " records copied)");
                }
                if (now - lastReport > 5_000_000_000L) {
                    progress.accept("raw copy: " + records + " records copied");
                    lastReport = now;
                }
            }
            if (transactions == 0) { // nothing to copy: close the transaction begun above
                producer.commitTransaction();
                transactions++;
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
            return new Copied(records, bytes, transactions, elapsed, GcPauses.sinceStart().minus(gc0));
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
