package dev.cpt.app.ingest;

import dev.cpt.app.Main;
import dev.cpt.app.standalone.Standalone;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.format.DlqReason;
import dev.cpt.core.format.DocHeaders;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import dev.cpt.core.kafka.Topics;
import dev.cpt.ingest.dedup.ContentHash;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pushes a mixed batch of good, duplicate and bad documents with the real {@code cpt push} into a
 * running standalone (embedded broker + ingest), then reads every output topic with read_committed
 * consumers and accounts for every input: each good document's tokens in its stream's sequences
 * or held-out sequences, each bad one in the dead-letter topic with its reason.
 */
class PushIngestReconcileTest {

    private static final int LENGTH = 32;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldAccountForEveryPushedDocumentInSequencesHeldOutOrDeadLetters() throws Exception {
        Config config = ConfigLoader.load(Optional.empty(), Map.of(), List.of(
                "cpt.data.dir=" + dir.resolve("data"), "cpt.http.port=0",
                "cpt.ingest.sequence.length=" + LENGTH, "cpt.ingest.heldout.fraction=0.3",
                "cpt.ingest.max.document.bytes=2000", "cpt.ingest.streams.allowed=notes,web,code"));

        // 40 good text files in two streams (directories), 30 good JSONL lines, 5 duplicates, 7 bad ones
        Map<String, Integer> goodPerStream = new TreeMap<>();
        Map<String, Map<Boolean, Long>> tokensBySplit = new HashMap<>();
        Path notes = dir.resolve("notes");
        Path code = dir.resolve("code");
        Files.createDirectories(notes);
        Files.createDirectories(code);
        for (int i = 0; i < 20; i++) {
            String n = "note number " + i + " says " + "la ".repeat(i);
            Files.writeString(notes.resolve(String.format("n%02d.txt", i)), n);
            account(tokensBySplit, goodPerStream, "notes", ContentHash.derivedId(n), n);
            String c = "class C" + i + " { int x = " + i * 7 + "; }";
            Files.writeString(code.resolve(String.format("c%02d.java", i)), c);
            account(tokensBySplit, goodPerStream, "code", ContentHash.derivedId(c), c);
        }
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String text = "web page " + i + " with some words " + "w".repeat(i);
            jsonl.append("{\"id\":\"web-").append(i).append("\",\"stream\":\"web\",\"text\":\"").append(text).append("\"}\n");
            account(tokensBySplit, goodPerStream, "web", "web-" + i, text);
        }
        for (int i = 0; i < 5; i++) { // exact duplicates of the first pages (after whitespace normalization)
            jsonl.append("{\"id\":\"dup-").append(i).append("\",\"stream\":\"web\",\"text\":\"  web page ").append(i)
                    .append("   with some words ").append("w".repeat(i)).append("\"}\n");
        }
        Map<DlqReason, Integer> bad = new TreeMap<>();
        jsonl.append("{\"stream\":\"web\",\"id\":\"no-text\"}\n");
        bad.merge(DlqReason.MISSING_TEXT, 1, Integer::sum);
        jsonl.append("{\"stream\":\"web\",\"text\":\"   \"}\n");
        bad.merge(DlqReason.MISSING_TEXT, 1, Integer::sum);
        jsonl.append("{\"stream\":\"web\",\"text\":7}\n");
        bad.merge(DlqReason.INVALID_FIELD, 1, Integer::sum);
        jsonl.append("{\"stream\":\"web\",\"text\":\"t\",\"meta\":\"not an object\"}\n");
        bad.merge(DlqReason.INVALID_FIELD, 1, Integer::sum);
        jsonl.append("{\"stream\":\"secret\",\"text\":\"not for us\"}\n");
        bad.merge(DlqReason.STREAM_NOT_ALLOWED, 1, Integer::sum);
        jsonl.append("{\"stream\":\"web\",\"text\":\"").append("x".repeat(3000)).append("\"}\n");
        bad.merge(DlqReason.OVERSIZE, 1, Integer::sum);
        jsonl.append("{\"stream\":\"web\",\"text\":\"unterminated}\n"); // push itself reports and skips non-JSON lines
        Path pages = dir.resolve("pages.jsonl");
        Files.writeString(pages, jsonl);

        try (Standalone standalone = Standalone.start(config)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int rc1 = cl.execute("push", "--stream", "notes", notes.toString(),
                    "--set", "cpt.kafka.bootstrap.servers=" + standalone.bootstrapServers());
            int rc2 = cl.execute("push", "--stream", "code", code.toString(),
                    "--set", "cpt.kafka.bootstrap.servers=" + standalone.bootstrapServers());
            int rc3 = cl.execute("push", pages.toString(), "--set", "cpt.kafka.bootstrap.servers=" + standalone.bootstrapServers());
            assertThat(List.of(rc1, rc2, rc3)).as(err.toString()).containsExactly(0, 0, 0);
            assertThat(err.toString()).contains("pages.jsonl:42");

            int expectedDead = bad.values().stream().mapToInt(Integer::intValue).sum();
            long expectedTrain = 0;
            long expectedHeld = 0;
            for (var e : tokensBySplit.entrySet()) {
                expectedTrain += e.getValue().getOrDefault(false, 0L) / LENGTH;
                expectedHeld += e.getValue().getOrDefault(true, 0L) / LENGTH;
            }
            // the sequence topics hold blocks of up to 64 sequences (cpt.ingest.sequences.per.record): one entry per sequence
            List<Map.Entry<String, TokenSequence>> train = sequences(CommittedRecords.readAll(standalone.bootstrapServers(), Topics.SEQUENCES, new StringDeserializer(),
                    TokenSequenceSerde.blocks(), expectedTrain, List::size, WAIT));
            List<Map.Entry<String, TokenSequence>> held = sequences(CommittedRecords.readAll(standalone.bootstrapServers(), Topics.HELDOUT, new StringDeserializer(),
                    TokenSequenceSerde.blocks(), expectedHeld, List::size, WAIT));
            List<ConsumerRecord<byte[], byte[]>> dead = CommittedRecords.readAll(standalone.bootstrapServers(), Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    expectedDead, v -> 1, WAIT);

            assertThat(train).hasSize((int) expectedTrain);
            assertThat(held).hasSize((int) expectedHeld);
            for (String stream : goodPerStream.keySet()) {
                assertThat(train.stream().filter(r -> r.getKey().equals(stream)).count())
                        .as("training sequences of %s", stream)
                        .isEqualTo(tokensBySplit.get(stream).getOrDefault(false, 0L) / LENGTH);
                assertThat(held.stream().filter(r -> r.getKey().equals(stream)).count())
                        .as("held-out sequences of %s", stream)
                        .isEqualTo(tokensBySplit.get(stream).getOrDefault(true, 0L) / LENGTH);
            }
            Map<DlqReason, Integer> deadByReason = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                String reason = new String(r.headers().lastHeader(DocHeaders.ERROR).value(), StandardCharsets.UTF_8);
                deadByReason.merge(DlqReason.valueOf(reason.toUpperCase(java.util.Locale.ROOT)), 1, Integer::sum);
            }
            assertThat(deadByReason).isEqualTo(bad);

            String metrics = dev.cpt.app.standalone.StandaloneTest.get(standalone.url() + "/metrics").body();
            int pushed = 40 + 30 + 5 + expectedDead;
            assertThat(metrics).contains("cpt_ingest_documents_in_total " + pushed + ".0")
                    .contains("cpt_ingest_documents_total{outcome=\"duplicate\",stream=\"web\"} 5.0");
            int accepted = goodPerStream.values().stream().mapToInt(Integer::intValue).sum();
            assertThat(accepted + 5 + expectedDead).as("every pushed document accounted for").isEqualTo(pushed);
        }
    }

    private static void account(Map<String, Map<Boolean, Long>> tokens, Map<String, Integer> good, String stream, String id, String text) {
        boolean heldout = ContentHash.unitInterval(id) < 0.3;
        tokens.computeIfAbsent(stream, s -> new HashMap<>())
                .merge(heldout, (long) text.getBytes(StandardCharsets.UTF_8).length + 1, Long::sum);
        good.merge(stream, 1, Integer::sum);
    }

    /** Each sequence of the blocks, with its record's key. */
    private static List<Map.Entry<String, TokenSequence>> sequences(List<ConsumerRecord<String, List<TokenSequence>>> records) {
        List<Map.Entry<String, TokenSequence>> out = new ArrayList<>();
        records.forEach(r -> r.value().forEach(seq -> out.add(Map.entry(r.key(), seq))));
        return out;
    }
}
