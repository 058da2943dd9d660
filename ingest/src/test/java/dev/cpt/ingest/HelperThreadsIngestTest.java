package dev.cpt.ingest;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.format.DocHeaders;
import dev.cpt.core.kafka.TopicProvisioner;
import dev.cpt.core.kafka.TopicSpec;
import dev.cpt.core.kafka.Topics;
import dev.cpt.ingest.metrics.IngestMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingest on a real broker with and without its helper threads (a lookahead worker that
 * validates ahead, a sender thread that the producer hands records to): the committed output must
 * be the same, byte for byte, and the worker must have done validations.
 */
class HelperThreadsIngestTest {

    @RegisterExtension
    static final TemporaryBroker broker = new TemporaryBroker();

    @TempDir
    Path dir;


    /** What an ingest committed, as comparable strings, and how its meters counted validations. */
    record Output(List<String> sequences, List<String> heldout, List<String> deadLetters, long validatedAhead, long validatedInline) {
    }

    @Test
    void shouldCommitExactlyWhatTheStreamThreadAloneCommitsWhateverHelpsIt() throws Exception {
        List<List<ProducerRecord<byte[], byte[]>>> batches = List.of(batch(0, 20), batch(20, 300));
        int records = batches.stream().mapToInt(List::size).sum();

        Output alone = ingest("alone", 0, false, batches);
        assertThat(alone.sequences()).hasSizeGreaterThan(50);
        assertThat(alone.heldout()).isNotEmpty();
        assertThat(alone.deadLetters()).hasSize(records / 10);
        assertThat(alone.validatedAhead()).isZero();
        assertThat(alone.validatedInline()).isEqualTo(records);

        for (Output helped : List.of(ingest("ahead", 1, false, batches), ingest("handoff", 0, true, batches),
                ingest("both", 2, true, batches))) {
            assertThat(helped.sequences()).containsExactlyElementsOf(alone.sequences());
            assertThat(helped.heldout()).containsExactlyElementsOf(alone.heldout());
            assertThat(helped.deadLetters()).containsExactlyElementsOf(alone.deadLetters());
            assertThat(helped.validatedAhead() + helped.validatedInline()).isEqualTo(records);
        }
    }

    @Test
    void shouldValidateOnTheLookaheadWorker() throws Exception {
        Output ahead = ingest("worker", 1, true, List.of(batch(0, 20), batch(20, 300)));

        assertThat(ahead.validatedAhead()).as("records validated by the worker").isPositive();
    }

    /**
     * Documents {@code from} to {@code from + n - 1}: JSON with and without id, raw text, repeats of
     * earlier documents (duplicates), and every tenth one bad in one of three ways. Every good one is
     * keyed by its stream, so no record takes the repartition topic and the output order is fixed.
     */
    private static List<ProducerRecord<byte[], byte[]>> batch(int from, int n) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            String stream = i % 2 == 0 ? "web" : "code";
            String text = ("document " + (i % 7 == 6 ? i - 6 : i) + " of " + stream + ", ").repeat(5 + i % 40);
            byte[] value = switch (i % 10) {
                case 3 -> ("{\"id\":\"d" + i + "\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
                case 4 -> ("{\"text\":\"" + text + "\",\"meta\":{\"n\":" + i + "}}").getBytes(StandardCharsets.UTF_8);
                case 5 -> i % 3 == 0 ? "{\"text\": ".getBytes(StandardCharsets.UTF_8) // malformed JSON
                        : i % 3 == 1 ? new byte[]{'a', (byte) 0xc3, '(', 'b'} // invalid UTF-8
                        : "{\"text\":\"\"}".getBytes(StandardCharsets.UTF_8); // empty text
                default -> text.getBytes(StandardCharsets.UTF_8);
            };
            out.add(new ProducerRecord<>(Topics.DOCS, stream.getBytes(StandardCharsets.UTF_8), value));
        }
        return out;
    }

    private Output ingest(String prefix, int lookaheadThreads, boolean handoff, List<List<ProducerRecord<byte[], byte[]>>> batches)
            throws Exception {
        Config config = ConfigLoader.load(Optional.empty(), Map.of(), List.of(
                "cpt.data.dir=" + dir.resolve(prefix), "cpt.kafka.topic.prefix=" + prefix,
                "cpt.ingest.application.id=" + prefix + "-ingest", "cpt.ingest.lookahead.threads=" + lookaheadThreads,
                "cpt.ingest.producer.handoff=" + handoff,
                "cpt.ingest.sequence.length=33", "cpt.ingest.sequences.per.record=4", "cpt.ingest.heldout.fraction=0.25"));
        Topics topics = Topics.from(config);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, TopicSpec.forFlow(config), Duration.ofSeconds(30), broker.bootstrapServers());
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (IngestService ingest = IngestService.start(config, broker.bootstrapServers(), registry, Duration.ofSeconds(60));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            int sent = 0;
            // a batch after the first: the lookahead queues documents from the poll after the ingest's first record
            for (List<ProducerRecord<byte[], byte[]>> batch : batches) {
                for (ProducerRecord<byte[], byte[]> r : batch) {
                    producer.send(new ProducerRecord<>(topics.docs(), r.key(), r.value()));
                }
                producer.flush();
                sent += batch.size();
                awaitCount(registry, IngestMetrics.DOCUMENTS_IN, sent);
            }
        }
        return new Output(read(topics.sequences(), false), read(topics.heldout(), false), read(topics.dlq(), true),
                count(registry, "lookahead"), count(registry, "stream"));
    }

    private static long count(SimpleMeterRegistry registry, String thread) {
        return Math.round(registry.get(IngestMetrics.VALIDATIONS).tag("thread", thread).counter().count());
    }

    private static void awaitCount(SimpleMeterRegistry registry, String meter, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (registry.get(meter).counter().count() < n) {
            assertThat(System.nanoTime()).as("%s reached %d within 60 s", meter, n).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Every committed record of a topic, in offset order: key and value (and the error headers), in hex. */
    private static List<String> read(String topic, boolean withErrors) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read %s to its end within 30 s", topic).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String s = r.partition() + " " + hex(r.key()) + " " + hex(r.value());
                    if (withErrors) {
                        s += " " + header(r, DocHeaders.ERROR) + " " + header(r, DocHeaders.ERROR_DETAIL);
                    }
                    out.add(s);
                }
            }
            return out;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "-" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String hex(byte[] b) {
        return b == null ? "null" : HexFormat.of().formatHex(b);
    }
}
