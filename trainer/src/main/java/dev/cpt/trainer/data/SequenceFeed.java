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
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a topic of {@link TokenSequence}s with positions owned by the caller (NOTES.md, "Storing
 * Offsets Outside Kafka"): partitions are assigned, not subscribed, so a long training step never
 * triggers a rebalance; positions come from the checkpoint and are sought on start; nothing is
 * committed automatically.
 *
 * <p>A record holds one sequence (TokenSequence versions 1 and 2) or a block of several
 * (version 3); {@link #take} hands out sequences, so a batch may end inside a block. A position is
 * therefore a {@link FeedPosition}: the record holding the next sequence and how many of its
 * sequences were already handed out. {@link #positions()} is exact: a feed started from them hands
 * out exactly the sequences after the last one handed out, which is what a checkpoint stores.
 *
 * <p>Reads with {@code isolation.level=read_committed}: the ingest writes transactionally, and only
 * committed sequences may be trained on. When the broker goes away, the consumer keeps retrying
 * inside {@code poll}; {@link #take} simply returns fewer sequences until it is back.
 */
public final class SequenceFeed implements AutoCloseable {

    /** Topic, then partition number: the order of {@link #positions()}, for stable checkpoints. */
    public static final Comparator<TopicPartition> PARTITION_ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);
    /** At most this often, {@link #take} looks for partitions added to the topic. */
    private static final Duration PARTITION_CHECK = Duration.ofSeconds(30);

    /** A sequence read but not handed out yet, with the position that follows it in its partition. */
    private record Next(TopicPartition partition, TokenSequence sequence, FeedPosition after) {
    }

    private final KafkaConsumer<String, List<TokenSequence>> consumer;
    private final String topic;
    private final Deque<Next> buffered = new ArrayDeque<>();
    /** After the last sequence handed out per partition; the start position until then. */
    private final Map<TopicPartition, FeedPosition> positions = new HashMap<>();
    /** Partitions sought into the middle of a record, until that record arrives and loses its first {@code skip}. */
    private final Map<TopicPartition, FeedPosition> soughtInsideRecord = new HashMap<>();
    private long lastPartitionCheck;

    /**
     * @param groupId used only to commit offsets for lag tools ({@link #commit}); never for assignment
     * @param start positions to resume from, as {@link #positions()} returned them; partitions not
     *              listed start at the beginning ({@link FeedPosition#atOffsets} for bare offsets)
     */
    public SequenceFeed(String bootstrapServers, String topic, String groupId, Map<TopicPartition, FeedPosition> start) {
        this.topic = topic;
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + topic);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // partitionsFor answers from cached metadata: refresh it as often as take() looks for new partitions
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) PARTITION_CHECK.toMillis());
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), TokenSequenceSerde.blocks());
        positions.putAll(start);
        assignAll();
    }

    /**
     * Assigns every partition of the topic and seeks each to its position: the record holding the
     * next sequence, whose sequences already handed out are dropped when it arrives.
     */
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
        soughtInsideRecord.clear();
        for (TopicPartition tp : parts) {
            FeedPosition pos = positions.get(tp);
            if (pos == null) {
                consumer.seekToBeginning(List.of(tp));
                continue;
            }
            consumer.seek(tp, pos.offset());
            if (pos.skip() > 0) {
                soughtInsideRecord.put(tp, pos);
            }
        }
        lastPartitionCheck = System.nanoTime();
    }

    /**
     * Assigns the topic's partitions anew and seeks each to its handed-out position. What was
     * buffered is dropped and read again: nothing handed out comes twice, nothing else is lost.
     */
    void reassign() {
        buffered.clear();
        assignAll();
    }

    /**
     * Up to {@code n} sequences, in partition order, waiting at most {@code maxWait} for the first
     * ones; an empty list means no committed data arrived in that time. A block's sequences come
     * out in order and before those of the next record of its partition.
     */
    public List<TokenSequence> take(int n, Duration maxWait) {
        if (buffered.size() < n) {
            if (System.nanoTime() - lastPartitionCheck > PARTITION_CHECK.toNanos()
                    && consumer.partitionsFor(topic).size() != consumer.assignment().size()) {
                reassign();
            }
            long deadline = System.nanoTime() + maxWait.toNanos();
            do {
                long left = Math.max(0, deadline - System.nanoTime());
                for (ConsumerRecord<String, List<TokenSequence>> r : consumer.poll(Duration.ofNanos(left))) {
                    buffer(r);
                }
            } while (buffered.size() < n && System.nanoTime() < deadline);
        }
        List<TokenSequence> out = new ArrayList<>(Math.min(n, buffered.size()));
        while (out.size() < n && !buffered.isEmpty()) {
            Next next = buffered.poll();
            positions.put(next.partition(), next.after());
            out.add(next.sequence());
        }
        return out;
    }

    /** Queues the sequences of {@code r}, less those handed out before the seek that led to it. */
    private void buffer(ConsumerRecord<String, List<TokenSequence>> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        List<TokenSequence> sequences = r.value() == null ? List.of() : r.value();
        // only the partition's first record after a seek can be the one sought into; a later offset
        // means that record is gone (retention), and nothing of what follows was handed out
        FeedPosition sought = soughtInsideRecord.remove(tp);
        int first = sought != null && sought.offset() == r.offset() ? Math.min(sought.skip(), sequences.size()) : 0;
        for (int i = first; i < sequences.size(); i++) {
            FeedPosition after = i + 1 < sequences.size() ? new FeedPosition(r.offset(), i + 1) : FeedPosition.at(r.offset() + 1);
            buffered.add(new Next(tp, sequences.get(i), after));
        }
    }

    /**
     * Per partition, where the next sequence comes from: after the last sequence handed out, else
     * the start position. Sorted, for stable checkpoints; exact, for resuming.
     */
    public Map<TopicPartition, FeedPosition> positions() {
        Map<TopicPartition, FeedPosition> sorted = new TreeMap<>(PARTITION_ORDER);
        sorted.putAll(positions);
        return sorted;
    }

    /**
     * Per partition, the offset of the record holding the next sequence: a committed offset for lag
     * tools. Not a resume point when a batch ended inside a block ({@link #positions()} is).
     */
    public Map<TopicPartition, Long> offsets() {
        return FeedPosition.offsets(positions);
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
