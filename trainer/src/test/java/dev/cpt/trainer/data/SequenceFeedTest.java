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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceFeedTest {

    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.startTemporary();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("seq", 2, (short) 1), new NewTopic("txn", 1, (short) 1),
                    new NewTopic("blocks", 1, (short) 1), new NewTopic("blocks2", 2, (short) 1))).all().get();
        }
        // one partition, records of 1, 5, 1, 3, 4, 1 and 2 sequences at offsets 0 to 6: sequences 0 to 16
        produceRecords("blocks", 0, "k", BLOCKS_LAYOUT);
    }

    private static final int[] BLOCKS_LAYOUT = {1, 5, 1, 3, 4, 1, 2};
    private static final int BLOCKS_TOTAL = 17;
    private static final TopicPartition BLOCKS = new TopicPartition("blocks", 0);

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
        Map<TopicPartition, FeedPosition> positions;
        try (SequenceFeed feed = new SequenceFeed(broker.bootstrapServers(), "seq", "g1", Map.of())) {
            first = feed.take(7, Duration.ofSeconds(10));
            positions = feed.positions();
        }
        assertThat(first).hasSize(7);
        assertThat(positions.values()).as("records of one sequence: always at a record boundary").allSatisfy(
                p -> assertThat(p.skip()).isZero());
        assertThat(positions.values().stream().mapToLong(FeedPosition::offset).sum()).isEqualTo(7);

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
            position = feed.positions().get(new TopicPartition("txn", 0)).offset();
            feed.commit(feed.offsets());
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

    /**
     * Writes one record per entry of {@code sizes} to {@code partition}, each a block of that many
     * consecutive sequences of {@code stream} (a single record for 1), numbered from 0 on, and
     * waits for each so that the offsets are 0, 1, 2...
     */
    private static void produceRecords(String topic, int partition, String stream, int... sizes) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            long next = 0;
            for (int size : sizes) {
                List<TokenSequence> block = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    block.add(seq(stream, next++));
                }
                p.send(new ProducerRecord<>(topic, partition, stream, TokenSequenceSerde.encodeBlock(block))).get();
            }
        }
    }

    private static List<Long> numbers(List<TokenSequence> sequences) {
        return sequences.stream().map(TokenSequence::sequence).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    @Test
    void shouldHandOutEverySequenceInOrderAcrossBlockAndSingleRecords() {
        List<Long> all = new ArrayList<>();
        List<FeedPosition> after = new ArrayList<>();
        try (SequenceFeed feed = new SequenceFeed(broker.bootstrapServers(), "blocks", "g4", Map.of())) {
            for (int i = 0; i < 5; i++) {
                int n = Math.min(4, BLOCKS_TOTAL - all.size()); // a short last take would wait its whole maxWait
                List<TokenSequence> batch = feed.take(n, Duration.ofSeconds(10));
                assertThat(batch).as("batch %d", i).hasSize(n);
                all.addAll(numbers(batch));
                after.add(feed.positions().get(BLOCKS));
            }
            assertThat(feed.take(1, Duration.ofMillis(200))).isEmpty();
        }
        assertThat(all).isEqualTo(range(0, BLOCKS_TOTAL));
        // sequences 0 | 1-5 | 6 | 7-9 | 10-13 | 14 | 15-16: after 4, 8, 12, 16 and 17 handed out
        assertThat(after).containsExactly(new FeedPosition(1, 3), new FeedPosition(3, 1), new FeedPosition(4, 2),
                new FeedPosition(6, 1), FeedPosition.at(7));
    }

    @Test
    void shouldResumeInsideABlockWithoutRepeatingASequence() {
        for (int cut = 1; cut < BLOCKS_TOTAL; cut++) {
            Map<TopicPartition, FeedPosition> saved;
            try (SequenceFeed feed = new SequenceFeed(broker.bootstrapServers(), "blocks", "g5", Map.of())) {
                assertThat(numbers(feed.take(cut, Duration.ofSeconds(10)))).isEqualTo(range(0, cut));
                saved = feed.positions();
            }
            try (SequenceFeed resumed = new SequenceFeed(broker.bootstrapServers(), "blocks", "g5", saved)) {
                assertThat(numbers(resumed.take(BLOCKS_TOTAL - cut, Duration.ofSeconds(10))))
                        .as("resumed at %s after %d sequences", saved.get(BLOCKS), cut).isEqualTo(range(cut, BLOCKS_TOTAL));
                assertThat(resumed.take(1, Duration.ofMillis(200))).as("nothing after the last sequence").isEmpty();
            }
        }
    }

    @Test
    void shouldCountTheSkipFromTheStartOfTheRecordWhenResumingAgainAndAgain() {
        // a resumed feed's positions must count the sequences it dropped: resuming from them again
        // (a checkpoint of a resumed run) must neither repeat nor skip
        Map<TopicPartition, FeedPosition> saved = Map.of();
        List<Long> all = new ArrayList<>();
        while (all.size() < BLOCKS_TOTAL) {
            try (SequenceFeed feed = new SequenceFeed(broker.bootstrapServers(), "blocks", "g6", saved)) {
                List<TokenSequence> two = feed.take(Math.min(2, BLOCKS_TOTAL - all.size()), Duration.ofSeconds(10));
                assertThat(two).as("after %s", all).isNotEmpty();
                all.addAll(numbers(two));
                saved = feed.positions();
            }
        }
        assertThat(all).isEqualTo(range(0, BLOCKS_TOTAL));
        assertThat(saved).containsExactly(Map.entry(BLOCKS, FeedPosition.at(7)));
    }

    @Test
    void shouldResumeEachPartitionFromItsOwnPositionInsideItsBlocks() throws Exception {
        produceRecords("blocks2", 0, "a", 3, 1, 4);
        produceRecords("blocks2", 1, "b", 5, 2);
        Map<TopicPartition, FeedPosition> saved;
        List<TokenSequence> first;
        try (SequenceFeed feed = new SequenceFeed(broker.bootstrapServers(), "blocks2", "g7", Map.of())) {
            first = new ArrayList<>(feed.take(6, Duration.ofSeconds(10)));
            first.addAll(feed.take(3, Duration.ofSeconds(10)));
            saved = feed.positions();
        }
        List<TokenSequence> rest;
        try (SequenceFeed resumed = new SequenceFeed(broker.bootstrapServers(), "blocks2", "g7", saved)) {
            rest = resumed.take(6, Duration.ofSeconds(10));
            assertThat(resumed.take(1, Duration.ofMillis(200))).isEmpty();
        }
        List<TokenSequence> all = new ArrayList<>(first);
        all.addAll(rest);
        for (String stream : List.of("a", "b")) {
            assertThat(all.stream().filter(s -> s.stream().equals(stream)).map(TokenSequence::sequence).toList())
                    .as("stream %s, first %s, resumed at %s", stream, numbers(first), saved)
                    .isEqualTo(range(0, stream.equals("a") ? 8 : 7));
        }
    }

    @Test
    void shouldStartAtARecordBoundaryFromBareOffsets() {
        try (SequenceFeed feed = new SequenceFeed(broker.bootstrapServers(), "blocks", "g8",
                FeedPosition.atOffsets(Map.of(BLOCKS, 3L)))) {
            assertThat(numbers(feed.take(4, Duration.ofSeconds(10)))).isEqualTo(range(7, 11));
            assertThat(feed.positions()).containsExactly(Map.entry(BLOCKS, new FeedPosition(4, 1)));
            assertThat(feed.offsets()).as("for lag tools: the record holding the next sequence").containsExactly(Map.entry(BLOCKS, 4L));
        }
    }

    @Test
    void shouldCommitTheOffsetOfTheRecordHoldingTheNextSequence() throws Exception {
        try (SequenceFeed feed = new SequenceFeed(broker.bootstrapServers(), "blocks", "g9", Map.of())) {
            assertThat(feed.take(4, Duration.ofSeconds(10))).hasSize(4);
            feed.commit(feed.offsets());
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            var committed = admin.listConsumerGroupOffsets("g9").partitionsToOffsetAndMetadata().get();
            assertThat(committed.get(BLOCKS).offset()).as("sequence 4 is in the block at offset 1").isEqualTo(1L);
        }
    }

    @Test
    void shouldReSeekInsideABlockWhenThePartitionsAreAssignedAgain() {
        try (SequenceFeed feed = new SequenceFeed(broker.bootstrapServers(), "blocks", "g10", Map.of())) {
            List<TokenSequence> all = new ArrayList<>(feed.take(3, Duration.ofSeconds(10)));
            assertThat(feed.positions()).as("inside the block 1-5").containsExactly(Map.entry(BLOCKS, new FeedPosition(1, 2)));
            feed.reassign(); // what take() does when the topic has gained partitions: the buffered sequences are read again
            all.addAll(feed.take(BLOCKS_TOTAL - 3, Duration.ofSeconds(10)));
            assertThat(feed.take(1, Duration.ofMillis(200))).isEmpty();
            assertThat(numbers(all)).isEqualTo(range(0, BLOCKS_TOTAL));
        }
    }
}
