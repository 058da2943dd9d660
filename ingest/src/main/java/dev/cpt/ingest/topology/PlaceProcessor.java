package dev.cpt.ingest.topology;

import dev.cpt.ingest.validate.Outcome;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Says whether an accepted document may skip the repartition topic: only when its record key is
 * its stream id AND it sits on the partition the repartition topic would give that key (Kafka's
 * default partitioner: murmur2 of the key modulo {@code cpt.docs}'s partition count, which the
 * repartition topic copies). A key alone is not enough: librdkafka's default partitioner (Python,
 * Go, C clients) hashes keys with CRC32, and any producer may pick a partition itself. A stream
 * whose documents reached two partitions would be packed by two tasks, each numbering its own
 * sequences from the same counter: duplicated sequence numbers.
 */
final class PlaceProcessor implements FixedKeyProcessor<byte[], Outcome, PlaceProcessor.Placed> {

    /** A document and whether it is on its stream's partition already. */
    record Placed(Outcome.Accepted document, boolean onStreamPartition) {
    }

    private final int docsPartitions;
    private FixedKeyProcessorContext<byte[], Placed> context;

    /** @param docsPartitions the partition count of {@code cpt.docs} (>= 1) */
    PlaceProcessor(int docsPartitions) {
        if (docsPartitions < 1) {
            throw new IllegalArgumentException("cpt.docs must have at least one partition, got " + docsPartitions);
        }
        this.docsPartitions = docsPartitions;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Placed> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Outcome> record) {
        Outcome.Accepted document = (Outcome.Accepted) record.value();
        byte[] key = record.key();
        boolean placed = key != null
                && Arrays.equals(key, document.stream().getBytes(StandardCharsets.UTF_8))
                && context.recordMetadata().map(RecordMetadata::partition).orElse(-1) == partitionOf(key, docsPartitions);
        context.forward(record.withValue(new Placed(document, placed)));
    }

    /** The partition Kafka's default partitioner gives {@code key} among {@code partitions}. */
    static int partitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
