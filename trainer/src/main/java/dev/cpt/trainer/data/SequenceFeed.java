package dev.cpt.trainer.data;

import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a topic of {@link TokenSequence}s with positions owned by the caller (NOTES.md, "Storing
 * Offsets Outside Kafka"): partitions are assigned, not subscribed, so a long training step never
 * triggers a rebalance; positions come from the checkpoint and are sought on start; nothing is
 * committed automatically. {@link #positions()} is the next offset per partition after the last
 * record handed out by {@link #take}, which is what a checkpoint stores.
 *
 * <p>Reads with {@code isolation.level=read_committed}: the ingest writes transactionally, and only
 * committed sequences may be trained on. When the broker goes away, the consumer keeps retrying
 * inside {@code poll}; {@link #take} simply returns fewer records until it is back.
 */
public final class SequenceFeed implements AutoCloseable {

    private final KafkaConsumer<String, TokenSequence> consumer;
    private final String topic;
    private final Deque<ConsumerRecord<String, TokenSequence>> buffered = new ArrayDeque<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private long lastPartitionCheck;

    /**
     * @param groupId used only to commit positions for lag tools ({@link #commit}); never for assignment
     * @param start positions to resume from; partitions not listed start at the beginning
     */
    public SequenceFeed(String bootstrapServers, String topic, String groupId, Map<TopicPartition, Long> start) {
        this.topic = topic;
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + topic);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new TokenSequenceSerde());
        positions.putAll(start);
        assignAll();
    }

    /** Picks up partitions added to the topic since the last check (at most every 30 s). */
    private void assignAll() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo p : infos) {
            parts.add(new TopicPartition(p.topic(), p.partition()));
        }
        if (parts.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions (does it exist?)");
        }
        consumer.assign(parts);
        for (TopicPartition tp : parts) {
            Long pos = positions.get(tp);
            if (pos != null) {
                consumer.seek(tp, pos);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
        lastPartitionCheck = System.nanoTime();
    }

    /**
     * Up to {@code n} sequences, in partition order, waiting at most {@code maxWait} for the first
     * ones; an empty list means no committed data arrived in that time.
     */
    public List<TokenSequence> take(int n, Duration maxWait) {
        if (buffered.size() < n) {
            if (System.nanoTime() - lastPartitionCheck > Duration.ofSeconds(30).toNanos()
                    && consumer.partitionsFor(topic).size() != consumer.assignment().size()) {
                buffered.clear(); // re-seek from handed-out positions: nothing buffered is lost
                assignAll();
            }
            long deadline = System.nanoTime() + maxWait.toNanos();
            do {
                long left = Math.max(0, deadline - System.nanoTime());
                for (ConsumerRecord<String, TokenSequence> r : consumer.poll(Duration.ofNanos(left))) {
                    buffered.add(r);
                }
            } while (buffered.size() < n && System.nanoTime() < deadline);
        }
        List<TokenSequence> out = new ArrayList<>(Math.min(n, buffered.size()));
        while (out.size() < n && !buffered.isEmpty()) {
            ConsumerRecord<String, TokenSequence> r = buffered.poll();
            positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            out.add(r.value());
        }
        return out;
    }

    /** Next offset per partition after the last record handed out; sorted, for stable checkpoints. */
    public Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> sorted = new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
        sorted.putAll(positions);
        return sorted;
    }

    /** Commits {@code offsets} to the group, after they are durable in a checkpoint, so that lag tools see progress. */
    public void commit(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
        offsets.forEach((tp, off) -> m.put(tp, new OffsetAndMetadata(off)));
        consumer.commitSync(m, Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
