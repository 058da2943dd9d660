package dev.cpt.ingest.handoff;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

import java.util.Map;

/** The clients Kafka Streams makes by default, with each producer wrapped in a {@link HandoffProducer}. */
public final class HandoffClientSupplier implements KafkaClientSupplier {

    /** Records handed over and not yet sent, per producer: about 16 MB of 64-sequence records (256 made the bench slower, 4096 no faster). */
    static final int CAPACITY = 1024;

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        // "cpt-handoff" first: tools that show 15 characters of a thread name (top -H, perf) tell it from the stream thread
        return new HandoffProducer(new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()), CAPACITY,
                "cpt-handoff-" + config.get(ProducerConfig.CLIENT_ID_CONFIG));
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    private static Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
