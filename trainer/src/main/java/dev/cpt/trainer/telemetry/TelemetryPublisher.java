package dev.cpt.trainer.telemetry;

import dev.cpt.core.format.Json;
import dev.cpt.core.format.TelemetryEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * Sends telemetry events to {@code cpt.telemetry} without ever blocking the training step: sends
 * are asynchronous, and a broker that is away costs dropped events (counted in the log), not steps.
 */
public final class TelemetryPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TelemetryPublisher.class);

    private final KafkaProducer<String, TelemetryEvent> producer;
    private final String topic;
    private final String key;
    private long failed;

    /** @param key the record key: the model's name, so that one topic can carry several trainers */
    public TelemetryPublisher(String bootstrapServers, String topic, String key) {
        this.topic = topic;
        this.key = key;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "cpt-trainer-telemetry",
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 50,
                // never stall a training step on metadata for long when the broker is away
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000),
                new StringSerializer(), Json.serde(TelemetryEvent.class).serializer());
    }

    public void publish(TelemetryEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, key, event), (md, e) -> {
                if (e != null && (++failed == 1 || failed % 100 == 0)) {
                    log.warn("telemetry event not delivered ({} so far): {}", failed, e.toString());
                }
            });
        } catch (RuntimeException e) {
            if (++failed == 1 || failed % 100 == 0) {
                log.warn("telemetry event dropped ({} so far): {}", failed, e.toString());
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
