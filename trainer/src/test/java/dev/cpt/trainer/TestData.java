package dev.cpt.trainer;

import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;

/** Learnable, deterministic token sequences for trainer tests. */
final class TestData {

    static final int LENGTH = 33;

    private TestData() {
    }

    /** A stream-specific pattern with a counter in it, {@link #LENGTH} tokens per sequence. */
    static void produce(String bootstrap, String topic, String stream, int from, int to) throws Exception {
        try (KafkaProducer<String, TokenSequence> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new TokenSequenceSerde())) {
            for (int i = from; i < to; i++) {
                int[] t = new int[LENGTH];
                for (int j = 0; j < LENGTH; j++) {
                    t[j] = stream.equals("arith") ? '0' + (i + j) % 10 : 'a' + (i * 7 + j * 3) % 26;
                }
                p.send(new ProducerRecord<>(topic, stream, new TokenSequence(stream, i, "byte-v1", 259, t))).get();
            }
        }
    }

    /** A temporary broker with {@code cpt.sequences}, {@code cpt.heldout} and {@code cpt.telemetry}, one partition each. */
    static dev.cpt.broker.EmbeddedBroker brokerWithTopics() throws Exception {
        dev.cpt.broker.EmbeddedBroker broker = dev.cpt.broker.EmbeddedBroker.startTemporary();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic(dev.cpt.core.kafka.Topics.SEQUENCES, 1, (short) 1),
                    new org.apache.kafka.clients.admin.NewTopic(dev.cpt.core.kafka.Topics.HELDOUT, 1, (short) 1),
                    new org.apache.kafka.clients.admin.NewTopic(dev.cpt.core.kafka.Topics.TELEMETRY, 1, (short) 1))).all().get();
        }
        return broker;
    }

    /**
     * {@link #brokerWithTopics()} holding 120 sequences of "arith" then 120 of "words" on
     * {@code cpt.sequences} (one partition: arith comes first), and 6 held-out sequences of each.
     */
    static dev.cpt.broker.EmbeddedBroker brokerWithTwoStreams() throws Exception {
        dev.cpt.broker.EmbeddedBroker broker = brokerWithTopics();
        String b = broker.bootstrapServers();
        produce(b, dev.cpt.core.kafka.Topics.SEQUENCES, "arith", 0, 120);
        produce(b, dev.cpt.core.kafka.Topics.SEQUENCES, "words", 0, 120);
        produce(b, dev.cpt.core.kafka.Topics.HELDOUT, "arith", 0, 6);
        produce(b, dev.cpt.core.kafka.Topics.HELDOUT, "words", 0, 6);
        return broker;
    }
}
