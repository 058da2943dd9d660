package dev.cpt.ingest.push;

import dev.cpt.core.format.DocHeaders;
import dev.cpt.core.kafka.KafkaSetupException;
import dev.cpt.core.kafka.Topics;
import dev.cpt.ingest.TemporaryBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Pushes to a real broker and reads back what landed on the topic. */
class PushIntegrationTest {

    @RegisterExtension
    static final TemporaryBroker broker = new TemporaryBroker();

    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();

    @BeforeAll
    static void createTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.DOCS, 2, (short) 1))).all().get();
        }
    }

    record Got(String key, String value, String format) {
    }

    @Test
    void shouldPushDirectoryAndJsonlFileAndLandExactlyThoseRecords() throws Exception {
        Path docs = dir.resolve("docs");
        Files.createDirectories(docs.resolve("sub"));
        Files.writeString(docs.resolve("b.txt"), "second file");
        Files.writeString(docs.resolve("sub/c.txt"), "third file, nested");
        Files.writeString(docs.resolve("a.txt"), "first file");
        Path jsonl = dir.resolve("more.jsonl");
        String l1 = "{\"id\":\"j1\",\"stream\":\"web\",\"text\":\"from jsonl\"}";
        String l3 = "{\"id\":\"j3\",\"text\":\"keyed by --stream\",\"meta\":{\"k\":1}}";
        Files.writeString(jsonl, l1 + "\nnot json at all\n" + l3 + "\n");

        PushSummary summary;
        try (DocumentSource source = DocumentSource.open(List.of(new PushInput.File(docs), new PushInput.File(jsonl)),
                new SourceOptions(Optional.of("notes"), false, BadLinePolicy.SKIP), InputStream.nullInputStream(), problems::add)) {
            summary = DocsProducer.push(broker.bootstrapServers(), Topics.DOCS, Duration.ofSeconds(30), source,
                    PushListener.SILENT, System::nanoTime);
        }

        assertThat(summary.documents()).isEqualTo(5);
        assertThat(summary.files()).isEqualTo(4);
        assertThat(summary.badLines()).isEqualTo(1);
        assertThat(summary.notSent()).isZero();
        assertThat(summary.line()).startsWith("pushed 5 documents (").contains(" from 4 files to cpt.docs in ").endsWith("; 1 bad line");
        assertThat(problems).singleElement().asString().startsWith(jsonl + ":2: not JSON (");

        List<Got> got = consumeAll(5);
        // two partitions: order holds per key only, so compare per key in send order
        assertThat(got).filteredOn(g -> g.key().equals("notes")).containsExactly(
                new Got("notes", "first file", "text"), new Got("notes", "second file", "text"),
                new Got("notes", "third file, nested", "text"), new Got("notes", l3, "json"));
        assertThat(got).filteredOn(g -> g.key().equals("web")).extracting(Got::value, Got::format).containsExactly(tuple(l1, "json"));
        assertThat(got).hasSize(5);
    }

    @Test
    void shouldFailWithinTheTimeoutNamingAnUnreachableBootstrap() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + closedPort;
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "x");

        long t0 = System.nanoTime();
        try (DocumentSource source = DocumentSource.open(List.of(new PushInput.File(f)),
                new SourceOptions(Optional.of("s"), false, BadLinePolicy.SKIP), InputStream.nullInputStream(), problems::add)) {
            assertThatThrownBy(() -> DocsProducer.push(bootstrap, Topics.DOCS, Duration.ofSeconds(2), source, PushListener.SILENT,
                    System::nanoTime))
                    .isInstanceOf(KafkaSetupException.class)
                    .hasMessageStartingWith("Kafka cluster " + bootstrap + " did not answer within 2 s")
                    .hasMessageContaining("start `cpt standalone` or set cpt.kafka.bootstrap.servers");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldRefuseAMissingTopicClearlyInsteadOfBlocking() {
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> DocsProducer.check(broker.bootstrapServers(), "other.docs", Duration.ofSeconds(10)))
                .isInstanceOf(KafkaSetupException.class)
                .hasMessageStartingWith("topic other.docs does not exist on Kafka cluster " + broker.bootstrapServers());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    private static List<Got> consumeAll(int expected) {
        Map<String, Object> c = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "push-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<Got> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(Topics.DOCS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // read on for a moment after the expected count, so that an extra record would be seen
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader(DocHeaders.FORMAT);
                    got.add(new Got(new String(r.key(), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8),
                            h == null ? null : new String(h.value(), StandardCharsets.UTF_8)));
                }
                if (got.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        return got;
    }
}
