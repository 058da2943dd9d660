package dev.cpt.ingest.topology;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import dev.cpt.core.kafka.Topics;
import dev.cpt.ingest.metrics.IngestMetrics;
import dev.cpt.ingest.pack.PackState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** The ingest topology in a {@link TopologyTestDriver}, with explicit record time. */
final class IngestDriver implements AutoCloseable {

    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> docs;
    final TestOutputTopic<String, TokenSequence> sequences;
    final TestOutputTopic<String, TokenSequence> heldout;
    final TestOutputTopic<byte[], byte[]> dlq;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Path stateDir;

    /**
     * One sequence per record unless {@code sets} says otherwise (read blocks with {@link #blocks}), so
     * that the packing rules read one record at a time.
     *
     * @param sets configuration overrides, e.g. {@code cpt.ingest.sequence.length=8}
     */
    IngestDriver(String... sets) {
        this(1, sets);
    }

    /**
     * With {@code cpt.docs} said to have {@code docsPartitions} partitions (the driver itself feeds
     * every record to partition 0).
     */
    IngestDriver(int docsPartitions, String... sets) {
        try {
            stateDir = Files.createTempDirectory("ingest-ttd-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> all = new ArrayList<>(List.of("cpt.ingest.sequences.per.record=1"));
        all.addAll(List.of(sets));
        Config config = ConfigLoader.load(Optional.empty(), java.util.Map.of(), all);
        StreamsBuilder builder = new StreamsBuilder();
        IngestTopology.build(builder, IngestOptions.from(config), docsPartitions, new IngestMetrics(registry));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), p, Instant.parse("2026-01-01T00:00:00Z"));
        docs = driver.createInputTopic(Topics.DOCS, new ByteArraySerializer(), new ByteArraySerializer());
        sequences = driver.createOutputTopic(Topics.SEQUENCES, new StringDeserializer(), new TokenSequenceSerde());
        heldout = driver.createOutputTopic(Topics.HELDOUT, new StringDeserializer(), new TokenSequenceSerde());
        dlq = driver.createOutputTopic(Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    void text(String stream, String text) {
        docs.pipeInput(utf8(stream), utf8(text));
    }

    void send(String key, String value, String... headerPairs) {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.add(headerPairs[i], utf8(headerPairs[i + 1]));
        }
        docs.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(utf8(key), utf8(value), h));
    }

    /** The carried remainder of a stream's split ("train" or "heldout"). */
    PackState remainder(String stream, String split) {
        KeyValueStore<String, PackState> store = driver.getKeyValueStore(IngestTopology.PACK_STORE);
        PackState s = store.get(stream + "/" + split);
        return s == null ? PackState.EMPTY : s;
    }

    /** The records of a sequence topic as blocks (any number of sequences per record), in order. */
    TestOutputTopic<String, List<TokenSequence>> blocks(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), TokenSequenceSerde.blocks());
    }

    List<TokenSequence> allSequences() {
        return new ArrayList<>(sequences.readValuesToList());
    }

    double count(String name, String... tags) {
        var search = registry.find(name);
        if (tags.length > 0) {
            search = search.tags(tags);
        }
        return search.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    void assertNoOutputLeft() {
        org.assertj.core.api.Assertions.assertThat(sequences.isEmpty()).as("cpt.sequences drained").isTrue();
        org.assertj.core.api.Assertions.assertThat(heldout.isEmpty()).as("cpt.heldout drained").isTrue();
        org.assertj.core.api.Assertions.assertThat(dlq.isEmpty()).as("cpt.docs.dlq drained").isTrue();
    }

    @Override
    public void close() {
        driver.close();
        try (var walk = Files.walk(stateDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temp dir left behind is not a test failure
        }
    }
}
