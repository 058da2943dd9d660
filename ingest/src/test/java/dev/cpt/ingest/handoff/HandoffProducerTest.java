package dev.cpt.ingest.handoff;

import dev.cpt.ingest.TemporaryBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A {@link HandoffProducer} around a real transactional producer on a real broker. */
class HandoffProducerTest {

    @RegisterExtension
    static final TemporaryBroker broker = new TemporaryBroker();


    @Test
    void shouldCommitEveryRecordInTheOrderItWasSent() throws Exception {
        String topic = topic();
        try (HandoffProducer producer = producer(8)) { // a small queue: the sending thread often waits for the sender
            producer.initTransactions();
            for (int t = 0; t < 20; t++) {
                producer.beginTransaction();
                for (int i = 0; i < 1000; i++) {
                    producer.send(record(topic, t * 1000 + i));
                }
                producer.commitTransaction();
            }
        }

        assertThat(readCommitted(topic)).containsExactlyElementsOf(IntStream.range(0, 20_000).mapToObj(String::valueOf).toList());
    }

    @Test
    void shouldLeaveNothingOfAnAbortedTransaction() throws Exception {
        String topic = topic();
        try (HandoffProducer producer = producer(1024)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 500; i++) {
                producer.send(record(topic, i));
            }
            producer.abortTransaction();
            producer.beginTransaction();
            for (int i = 500; i < 510; i++) {
                producer.send(record(topic, i));
            }
            producer.commitTransaction();
        }

        assertThat(readCommitted(topic)).containsExactlyElementsOf(IntStream.range(500, 510).mapToObj(String::valueOf).toList());
    }

    @Test
    void shouldCompleteTheFutureAndCallTheCallbackWithTheRecordsOffset() throws Exception {
        String topic = topic();
        try (HandoffProducer producer = producer(16)) {
            producer.initTransactions();
            producer.beginTransaction();
            List<RecordMetadata> called = new ArrayList<>();
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(producer.send(record(topic, i), (m, e) -> called.add(m)));
            }
            producer.flush();
            producer.commitTransaction();

            for (int i = 0; i < 3; i++) {
                assertThat(futures.get(i).get(10, TimeUnit.SECONDS).offset()).isEqualTo(i);
            }
            assertThat(called).extracting(RecordMetadata::offset).containsExactly(0L, 1L, 2L);
        }
    }

    @Test
    void shouldKeepFailingOnceASendOfTheRealProducerThrew() {
        String topic = topic();
        HandoffProducer producer = producer(16);
        try {
            producer.initTransactions();
            // no beginTransaction: the real producer's send throws at once, in the sender thread
            Future<RecordMetadata> refused = producer.send(record(topic, 0));

            assertThatThrownBy(producer::flush).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> producer.send(record(topic, 1))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(producer::beginTransaction).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class);
        } finally {
            producer.close(Duration.ofSeconds(1)); // the real producer would wait out its delivery time-out for nothing
        }
    }

    @Test
    void shouldRefuseToSendOnceClosed() {
        HandoffProducer producer = producer(16);
        producer.close();

        assertThatThrownBy(() -> producer.send(record(topic(), 0))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static HandoffProducer producer(int capacity) {
        return new HandoffProducer(new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "handoff-test-" + UUID.randomUUID(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(), new ByteArraySerializer()), capacity, "cpt-handoff-test");
    }

    private static String topic() {
        String topic = "handoff-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return topic;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int i) {
        byte[] v = String.valueOf(i).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, v, v);
    }

    /** The committed values of the topic's one partition, in offset order. */
    private static List<String> readCommitted(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end) {
                assertThat(System.nanoTime()).as("read %s to its end within 30 s", topic).isLessThan(deadline);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            return out;
        }
    }
}
