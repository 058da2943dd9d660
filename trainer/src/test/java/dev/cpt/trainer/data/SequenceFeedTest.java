package dev.cpt.trainer.data;

import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceFeedTest {

    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.startTemporary();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("seq", 2, (short) 1), new NewTopic("txn", 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static TokenSequence seq(String stream, long n) {
        return new TokenSequence(stream, n, "byte-v1", 259, new int[]{(int) n % 256, 1, 2});
    }

    private static void produce(String topic, int partition, String stream, int from, int to, boolean commit) throws Exception {
        Map<String, Object> props = new java.util.HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "t-" + topic + "-" + partition + "-" + from);
        try (KafkaProducer<String, TokenSequence> p = new KafkaProducer<>(props, new StringSerializer(), new TokenSequenceSerde())) {
            p.initTransactions();
            p.beginTransaction();
            for (int i = from; i < to; i++) {
                p.send(new ProducerRecord<>(topic, partition, stream, seq(stream, i)));
            }
            if (commit) {
                p.commitTransaction();
            } else {
                p.abortTransaction();
            }
        }
    }

    @Test
    void shouldHandOutBatchesAndResumeExactlyFromTheReturnedPositions() throws Exception {
        produce("seq", 0, "a", 0, 10, true);
        produce("seq", 1, "b", 0, 10, true);
        List<TokenSequence> first;
        Map<TopicPartition, Long> positions;
        try (SequenceFeed feed = new SequenceFeed(broker.bootstrapServers(), "seq", "g1", Map.of())) {
            first = feed.take(7, Duration.ofSeconds(10));
            positions = feed.positions();
        }
        assertThat(first).hasSize(7);
        assertThat(positions.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(7);

        try (SequenceFeed resumed = new SequenceFeed(broker.bootstrapServers(), "seq", "g1", positions)) {
            List<TokenSequence> rest = resumed.take(100, Duration.ofSeconds(3));
            assertThat(rest).hasSize(13).doesNotContainAnyElementsOf(first);
            assertThat(resumed.take(1, Duration.ofMillis(200))).as("no more data: empty, not blocked forever").isEmpty();
        }
    }

    @Test
    void shouldNeverHandOutAbortedSequences() throws Exception {
        produce("txn", 0, "c", 0, 5, false);
        produce("txn", 0, "c", 5, 8, true);
        long position;
        try (SequenceFeed feed = new SequenceFeed(broker.bootstrapServers(), "txn", "g2", Map.of())) {
            assertThat(feed.take(100, Duration.ofSeconds(5))).extracting(TokenSequence::sequence).containsExactly(5L, 6L, 7L);
            position = feed.positions().get(new TopicPartition("txn", 0));
            feed.commit(feed.positions());
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            var committed = admin.listConsumerGroupOffsets("g2").partitionsToOffsetAndMetadata().get();
            assertThat(committed.get(new TopicPartition("txn", 0)).offset()).as("committed for lag tools").isEqualTo(position);
        }
    }

    @Test
    void shouldWaitWithoutFailingWhileTheBrokerIsAwayAndResumeWhenItIsBack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        EmbeddedBroker own = EmbeddedBroker.start(dir, 0, 0, Map.of());
        String bootstrap = own.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("away", 1, (short) 1))).all().get();
        }
        produceTo(bootstrap, "away", 0, 5);
        try (SequenceFeed feed = new SequenceFeed(bootstrap, "away", "g3", Map.of())) {
            assertThat(feed.take(5, Duration.ofSeconds(10))).hasSize(5);
            own.close();
            assertThat(feed.take(5, Duration.ofSeconds(2))).as("broker away: nothing, and no exception").isEmpty();
            own = EmbeddedBroker.start(dir, 0, 0, Map.of()); // same data, same port
            assertThat(own.bootstrapServers()).isEqualTo(bootstrap);
            produceTo(bootstrap, "away", 5, 8);
            assertThat(feed.take(3, Duration.ofSeconds(30))).extracting(TokenSequence::sequence).containsExactly(5L, 6L, 7L);
        } finally {
            own.close();
        }
    }

    private static void produceTo(String bootstrap, String topic, int from, int to) throws Exception {
        try (KafkaProducer<String, TokenSequence> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new TokenSequenceSerde())) {
            for (int i = from; i < to; i++) {
                p.send(new ProducerRecord<>(topic, "s", seq("s", i))).get();
            }
        }
    }
}
