package dev.cpt.trainer;

import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Learnable, deterministic token sequences for trainer tests. */
final class TestData {

    static final int LENGTH = 33;

    private TestData() {
    }

    /** A stream-specific pattern with a counter in it, {@link #LENGTH} tokens per sequence; one record each. */
    static void produce(String bootstrap, String topic, String stream, int from, int to) throws Exception {
        produce(bootstrap, topic, stream, from, to, 1);
    }

    /**
     * As {@link #produce(String, String, String, int, int)}, in records of {@code perRecord}
     * sequences (TokenSequence blocks, as the ingest writes them; the last may be shorter).
     */
    static void produce(String bootstrap, String topic, String stream, int from, int to, int perRecord) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int start = from; start < to; start += perRecord) {
                List<TokenSequence> block = new ArrayList<>();
                for (int i = start; i < Math.min(to, start + perRecord); i++) {
                    block.add(sequence(stream, i));
                }
                p.send(new ProducerRecord<>(topic, stream, TokenSequenceSerde.encodeBlock(block))).get();
            }
        }
    }

    static TokenSequence sequence(String stream, int i) {
        int[] t = new int[LENGTH];
        for (int j = 0; j < LENGTH; j++) {
            t[j] = stream.equals("arith") ? '0' + (i + j) % 10 : 'a' + (i * 7 + j * 3) % 26;
        }
        return new TokenSequence(stream, i, "byte-v1", 259, t);
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

    /** Records of "arith" on {@link #brokerWithTwoStreams()}: blocks of this many, which batches end inside. */
    static final int ARITH_PER_RECORD = 7;

    /**
     * {@link #brokerWithTopics()} holding 120 sequences of "arith" then 120 of "words" on
     * {@code cpt.sequences} (one partition: arith comes first), and 6 held-out sequences of each.
     * arith is in blocks of {@link #ARITH_PER_RECORD} (4 on the held-out topic), words one
     * sequence a record: the two forms the ingest has written.
     */
    static dev.cpt.broker.EmbeddedBroker brokerWithTwoStreams() throws Exception {
        dev.cpt.broker.EmbeddedBroker broker = brokerWithTopics();
        String b = broker.bootstrapServers();
        produce(b, dev.cpt.core.kafka.Topics.SEQUENCES, "arith", 0, 120, ARITH_PER_RECORD);
        produce(b, dev.cpt.core.kafka.Topics.SEQUENCES, "words", 0, 120);
        produce(b, dev.cpt.core.kafka.Topics.HELDOUT, "arith", 0, 6, 4);
        produce(b, dev.cpt.core.kafka.Topics.HELDOUT, "words", 0, 6);
        return broker;
    }
}
