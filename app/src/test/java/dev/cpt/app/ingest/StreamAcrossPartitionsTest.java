package dev.cpt.app.ingest;

import dev.cpt.app.standalone.Standalone;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.format.TokenSequenceSerde;
import dev.cpt.core.kafka.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Producers do not all partition like Kafka's Java client (librdkafka hashes keys with CRC32, and a
 * producer may pick the partition itself): documents of one stream, keyed by that stream, that
 * arrive on every partition of {@code cpt.docs}, mixed with documents that name the stream only in
 * their JSON, must still be packed by one task, into one gap-free run of sequence numbers.
 */
class StreamAcrossPartitionsTest {

    private static final int PARTITIONS = 4;
    private static final int LENGTH = 16;

    @TempDir
    Path dir;

    @Test
    void shouldNumberAStreamsSequencesOnceWhateverPartitionItsDocumentsArriveOn() throws Exception {
        Config config = ConfigLoader.load(Optional.empty(), Map.of(), List.of(
                "cpt.data.dir=" + dir.resolve("data"), "cpt.http.port=0",
                "cpt.kafka.topic.partitions=" + PARTITIONS,
                "cpt.ingest.sequence.length=" + LENGTH, "cpt.ingest.heldout.fraction=0"));
        long tokens = 0;
        try (Standalone standalone = Standalone.start(config);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, standalone.bootstrapServers(),
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 60; i++) {
                String text = "document " + i + " of the web stream " + "ab".repeat(i % 9);
                tokens += text.getBytes(StandardCharsets.UTF_8).length + 1;
                ProducerRecord<byte[], byte[]> record = i % 3 == 2
                        // the stream named in the JSON only: these go through the repartition topic
                        ? new ProducerRecord<>(Topics.DOCS, i % PARTITIONS, null,
                                ("{\"stream\":\"web\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8))
                        // keyed by the stream, on a partition of the producer's choosing
                        : new ProducerRecord<>(Topics.DOCS, i % PARTITIONS, "web".getBytes(StandardCharsets.UTF_8),
                                text.getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
            }
            long expected = tokens / LENGTH;

            List<Long> numbers = sequenceNumbers(standalone, "web", expected);

            assertThat(numbers).as("the sequence numbers of stream web, in any order")
                    .containsExactlyInAnyOrderElementsOf(LongStream.range(0, expected).boxed().toList());
        }
    }

    /** The sequence numbers of {@code stream} on every partition of cpt.sequences, read_committed. */
    private static List<Long> sequenceNumbers(Standalone s, String stream, long expected) {
        List<Long> out = new ArrayList<>();
        CommittedRecords.readAll(s.bootstrapServers(), Topics.SEQUENCES, new StringDeserializer(), TokenSequenceSerde.blocks(),
                        expected, List::size, Duration.ofSeconds(60)).stream()
                .filter(r -> r.key().equals(stream))
                .forEach(r -> r.value().forEach(seq -> out.add(seq.sequence())));
        return out;
    }
}
