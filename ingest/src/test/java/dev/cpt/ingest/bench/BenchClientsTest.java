package dev.cpt.ingest.bench;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.IngestSettings;
import dev.cpt.ingest.IngestService;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench's copy shares the ingest's client settings, so that only the work differs, except the fetch size, with which
 * the copy is slower: the baseline is the copy at its best.
 */
class BenchClientsTest {

    private final Config config = Config.defaults().with(IngestSettings.FETCH_BYTES, "2097152")
            .with(IngestSettings.COMPRESSION, "zstd");

    @Test
    void shouldGiveTheIngestsConsumersTheConfiguredFetchSize() {
        Properties streams = IngestService.streamsProperties(config, "localhost:9092");

        assertThat(streams.get(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG))).isEqualTo(2_097_152);
        assertThat(IngestService.streamsProperties(Config.defaults(), "localhost:9092")
                .get(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG))).isEqualTo(4 << 20);
    }

    @Test
    void shouldReadWithTheIngestsPollSizeAndSocketBufferButKafkasFetchSizeWhichSuitsTheCopy() {
        Map<String, Object> c = BenchClients.consumer(config, "localhost:9092", "copy", "group");

        assertThat(c).doesNotContainKey(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG)
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)
                .containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "group");
    }

    @Test
    void shouldWriteWithTheIngestsCompressionAndBatching() {
        Map<String, Object> p = BenchClients.producer(config, "localhost:9092", "copy");

        assertThat(p).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024)
                .containsEntry(ProducerConfig.SEND_BUFFER_CONFIG, -1)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
    }
}
