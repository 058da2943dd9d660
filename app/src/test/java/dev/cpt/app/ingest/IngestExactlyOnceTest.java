package dev.cpt.app.ingest;

import dev.cpt.app.ChildCpt;
import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.format.DocHeaders;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import dev.cpt.core.kafka.TopicProvisioner;
import dev.cpt.core.kafka.TopicSpec;
import dev.cpt.core.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a running {@code cpt ingest} process with SIGKILL in the middle of a stream, restarts it on
 * the same state, and checks that every stream's output has each sequence number exactly once and
 * exactly the tokens of its documents, in order.
 */
class IngestExactlyOnceTest {

    private static final int LENGTH = 64;
    private static final List<String> STREAMS = List.of("alpha", "beta", "gamma");
    private static final int DOCS_PER_STREAM = 300;

    @TempDir
    Path dir;

    @Test
    void shouldNeitherDuplicateNorLoseSequencesWhenTheIngestIsKilledMidStream() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.startTemporary()) {
            String bootstrap = broker.bootstrapServers();
            Config config = ConfigLoader.load(Optional.empty(), Map.of(), List.of("cpt.kafka.bootstrap.servers=" + bootstrap));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicProvisioner.ensure(admin, TopicSpec.forFlow(config), Duration.ofSeconds(30), bootstrap);
            }
            Map<String, List<Integer>> expected = new HashMap<>();
            STREAMS.forEach(s -> expected.put(s, new ArrayList<>()));
            List<ProducerRecord<byte[], byte[]>> docs = documents(expected);

            Process first = startIngest(bootstrap, "first");
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(bootstrap, docs));
            // let it commit some output, then kill it without any chance to flush or commit
            awaitSequences(bootstrap, 20, Duration.ofSeconds(60));
            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            producing.get(120, TimeUnit.SECONDS);

            Process second = startIngest(bootstrap, "second");
            try {
                int total = expected.values().stream().mapToInt(t -> t.size() / LENGTH).sum();
                Map<String, List<TokenSequence>> out = awaitSequences(bootstrap, total, Duration.ofSeconds(120));
                for (String stream : STREAMS) {
                    List<TokenSequence> seqs = out.get(stream);
                    assertThat(seqs).extracting(TokenSequence::sequence).as(stream)
                            .containsExactlyElementsOf(java.util.stream.LongStream.range(0, expected.get(stream).size() / LENGTH)
                                    .boxed().toList());
                    List<Integer> tokens = new ArrayList<>();
                    seqs.forEach(s -> java.util.Arrays.stream(s.tokens()).forEach(tokens::add));
                    assertThat(tokens).as(stream).isEqualTo(expected.get(stream).subList(0, tokens.size()));
                }
            } finally {
                second.destroy();
                second.waitFor(15, TimeUnit.SECONDS);
                second.destroyForcibly();
            }
        }
    }

    private Process startIngest(String bootstrap, String name) throws Exception {
        return ChildCpt.start(dir.resolve("ingest-" + name + ".log"), 90, "ingest",
                "--set", "cpt.kafka.bootstrap.servers=" + bootstrap,
                "--set", "cpt.data.dir=" + dir.resolve("data"),
                "--set", "cpt.http.port=0",
                "--set", "cpt.ingest.sequence.length=" + LENGTH,
                "--set", "cpt.ingest.heldout.fraction=0",
                "--set", "cpt.ingest.session.timeout=6s").process();
    }

    /** Unique random texts per stream; fills {@code expected} with each stream's tokens and EOS separators. */
    private static List<ProducerRecord<byte[], byte[]>> documents(Map<String, List<Integer>> expected) {
        Random random = new Random(42);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < DOCS_PER_STREAM; i++) {
            for (String stream : STREAMS) {
                StringBuilder text = new StringBuilder(stream).append(' ').append(i).append(':');
                int words = 20 + random.nextInt(60);
                for (int w = 0; w < words; w++) {
                    text.append(' ').append(Integer.toString(random.nextInt(100_000), 36));
                }
                byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                for (byte b : bytes) {
                    expected.get(stream).add(b & 0xff);
                }
                expected.get(stream).add(256);
                RecordHeaders headers = new RecordHeaders();
                headers.add(DocHeaders.FORMAT, DocHeaders.FORMAT_TEXT.getBytes(StandardCharsets.UTF_8));
                records.add(new ProducerRecord<>(Topics.DOCS, null, stream.getBytes(StandardCharsets.UTF_8), bytes, headers));
            }
        }
        return records;
    }

    private static void produce(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records.size(); i++) {
                p.send(records.get(i));
                if (i % 30 == 29) {
                    p.flush();
                    try {
                        Thread.sleep(60); // a stream, not a bulk load: the kill lands mid-stream
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Reads cpt.sequences (blocks of sequences) from the start with read_committed until {@code n} sequences arrived; by stream. */
    private static Map<String, List<TokenSequence>> awaitSequences(String bootstrap, int n, Duration timeout) {
        Map<String, List<TokenSequence>> byStream = new HashMap<>();
        STREAMS.forEach(s -> byStream.put(s, new ArrayList<>()));
        int count = 0;
        for (ConsumerRecord<String, List<TokenSequence>> r : CommittedRecords.readAll(bootstrap, Topics.SEQUENCES,
                new StringDeserializer(), TokenSequenceSerde.blocks(), n, List::size, timeout)) {
            byStream.get(r.key()).addAll(r.value());
            count += r.value().size();
        }
        assertThat(count).as("sequences read").isGreaterThanOrEqualTo(n);
        return byStream;
    }
}
