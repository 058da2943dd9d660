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
}
