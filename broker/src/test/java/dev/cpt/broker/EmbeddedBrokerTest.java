package dev.cpt.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedBrokerTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepTopicsRecordsAndCommittedOffsetsAcrossRestartOnSameDataDir() throws Exception {
        String bootstrap;
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir, 0, 0, Map.of())) {
            bootstrap = broker.bootstrapServers();
            try (Admin admin = admin(bootstrap)) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            }
            produce(bootstrap, "a", "b", "c");
            // a group reads two records and commits, so the restart must resume at the third
            try (KafkaConsumer<String, String> c = consumer(bootstrap, "g")) {
                c.subscribe(List.of("t"));
                List<String> seen = poll(c, 3);
                assertThat(seen).containsExactly("a", "b", "c");
                c.commitSync(Map.of(new org.apache.kafka.common.TopicPartition("t", 0),
                        new org.apache.kafka.clients.consumer.OffsetAndMetadata(2)));
            }
        }
        assertThat(dir.resolve("logs").resolve("meta.properties")).exists();
        String metaBefore = Files.readString(dir.resolve("logs").resolve("meta.properties"));

        try (EmbeddedBroker broker = EmbeddedBroker.start(dir, 0, 0, Map.of())) {
            assertThat(broker.bootstrapServers()).as("ports are reused when free").isEqualTo(bootstrap);
            assertThat(Files.readString(dir.resolve("logs").resolve("meta.properties")))
                    .as("storage is not formatted again").isEqualTo(metaBefore);
            try (Admin admin = admin(broker.bootstrapServers())) {
                assertThat(admin.listTopics().names().get()).contains("t");
            }
            produce(broker.bootstrapServers(), "d");
            try (KafkaConsumer<String, String> c = consumer(broker.bootstrapServers(), "g")) {
                c.subscribe(List.of("t"));
                assertThat(poll(c, 2)).containsExactly("c", "d");
            }
        }
    }

    @Test
    void shouldListenOnLoopbackOnly() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.startTemporary()) {
            String server = broker.bootstrapServers();
            assertThat(server).startsWith("127.0.0.1:");
            int port = Integer.parseInt(server.substring(server.indexOf(':') + 1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                assertThat(s.isConnected()).isTrue();
            }
            assertThat(EmbeddedBroker.brokerProperties(dir, port, broker.controllerPort()).getProperty("listeners"))
                    .doesNotContain("0.0.0.0").contains("127.0.0.1:" + port);
        }
    }

    @Test
    void shouldDeleteTemporaryDataOnClose() {
        Path data;
        try (EmbeddedBroker broker = EmbeddedBroker.startTemporary()) {
            data = broker.dataDir();
            assertThat(data).isDirectory();
        }
        assertThat(data).doesNotExist();
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static void produce(String bootstrap, String... values) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (String v : values) {
                p.send(new ProducerRecord<>("t", v)).get();
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
    }

    private static List<String> poll(KafkaConsumer<String, String> c, int n) {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                out.add(r.value());
            }
        }
        return out;
    }

}
