package dev.cpt.app.ingest;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/** What the ingest committed to a topic, read as the trainer and the monitor read it. */
final class CommittedRecords {

    private CommittedRecords() {
    }

    /**
     * Every record of every partition of {@code topic}, from the start, with read_committed, until
     * records of at least {@code n} items ({@code items} per value) arrived or {@code timeout} passed,
     * then a grace period of five more polls: anything beyond {@code n} would be a duplicate or an
     * extra, and must have a moment to show up.
     */
    static <K, V> List<ConsumerRecord<K, V>> readAll(String bootstrap, String topic, Deserializer<K> keys, Deserializer<V> values,
                                                     long n, ToIntFunction<V> items, Duration timeout) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (KafkaConsumer<K, V> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), keys, values)) {
            c.assign(c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList());
            c.seekToBeginning(c.assignment());
            long have = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            int grace = 0;
            while (System.nanoTime() < deadline && grace < 5) {
                for (ConsumerRecord<K, V> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r);
                    have += items.applyAsInt(r.value());
                }
                if (have >= n) {
                    grace++;
                }
            }
        }
        return out;
    }
}
