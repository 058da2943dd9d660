package dev.cpt.ingest.push;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DocsProducerTest {

    @Test
    void shouldConfigureAnIdempotentAcksAllLz4ProducerWithLargeBatches() {
        Map<String, Object> c = DocsProducer.producerConfig("h:9092", Duration.ofSeconds(30));

        assertThat(c).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "h:9092")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 10)
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        assertThat((int) c.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)).isGreaterThan(SourceOptions.DEFAULT_MAX_DOCUMENT_BYTES);
    }

    @Test
    void shouldBoundEveryProducerWaitByTheTimeout() {
        Map<String, Object> c = DocsProducer.producerConfig("h:9092", Duration.ofSeconds(2));

        assertThat(c).containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000L)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2010); // Kafka wants >= request + linger
        assertThat(DocsProducer.producerConfig("h:9092", Duration.ofMinutes(5)))
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    }
}
