package dev.cpt.trainer.data;

import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a {@link SequenceFeed} reads next in one partition: the record at {@code offset}, of which
 * the first {@code skip} sequences were already handed out. A record may be a block of several
 * sequences (TokenSequence version 3) and a batch may end inside one, so an offset alone is not
 * exact; {@code skip} is 0 at a record boundary, which is all a record of one sequence ever has.
 *
 * @param offset offset of the record that holds the next sequence
 * @param skip how many of that record's sequences were already handed out (0 or more)
 */
public record FeedPosition(long offset, int skip) {

    public FeedPosition {
        if (offset < 0 || skip < 0) {
            throw new IllegalArgumentException("a feed position has an offset and a skip of at least 0, not " + offset + "/" + skip);
        }
    }

    /** The start of the record at {@code offset}. */
    public static FeedPosition at(long offset) {
        return new FeedPosition(offset, 0);
    }

    /** Record boundaries, for callers that only know offsets (a record there is read from its first sequence). */
    public static Map<TopicPartition, FeedPosition> atOffsets(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, FeedPosition> out = new TreeMap<>(SequenceFeed.PARTITION_ORDER);
        offsets.forEach((tp, off) -> out.put(tp, at(off)));
        return out;
    }

    /**
     * The record offsets of {@code positions}: what Kafka can hold as a committed offset. Reading on
     * from them would repeat the {@code skip} sequences already handed out, so they are for lag
     * tools, never for resuming.
     */
    public static Map<TopicPartition, Long> offsets(Map<TopicPartition, FeedPosition> positions) {
        Map<TopicPartition, Long> out = new TreeMap<>(SequenceFeed.PARTITION_ORDER);
        positions.forEach((tp, p) -> out.put(tp, p.offset()));
        return out;
    }
}
