package dev.cpt.ingest.topology;

import dev.cpt.core.format.DocHeaders;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.ingest.dedup.ContentHash;
import dev.cpt.ingest.metrics.IngestMetrics;
import dev.cpt.ingest.tokenize.ByteTokenizer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.cpt.ingest.topology.IngestDriver.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class IngestTopologyTest {

    private IngestDriver ingest;

    @AfterEach
    void drained() {
        if (ingest != null) {
            ingest.assertNoOutputLeft();
            ingest.close();
        }
    }

    private static int[] tokens(String s) {
        return new ByteTokenizer().encode(s);
    }

    private static int[] concat(int[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToInt(java.util.Arrays::stream).toArray();
    }

    private static final int[] EOS = {ByteTokenizer.EOS};

    @Test
    void shouldPackRawTextKeyedByStreamIntoSequencesWithEos() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=4", "cpt.ingest.heldout.fraction=0");

        ingest.text("news", "abc");

        List<TestRecord<String, TokenSequence>> out = ingest.sequences.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo("news");
        TokenSequence s = out.get(0).value();
        assertThat(s.stream()).isEqualTo("news");
        assertThat(s.sequence()).isZero();
        assertThat(s.tokenizer()).isEqualTo(ByteTokenizer.ID);
        assertThat(s.vocabSize()).isEqualTo(ByteTokenizer.VOCAB_SIZE);
        assertThat(s.tokens()).containsExactly('a', 'b', 'c', ByteTokenizer.EOS);
        assertThat(ingest.remainder("news", "train").remainder()).isEmpty();
    }

    @Test
    void shouldCarryRemainderAcrossRecordsWithoutLosingOrAddingTokens() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=8", "cpt.ingest.heldout.fraction=0");

        ingest.text("s", "abcde");
        assertThat(ingest.sequences.isEmpty()).as("6 tokens do not fill a sequence of 8").isTrue();
        ingest.text("s", "fghijklmnopq");

        List<TokenSequence> out = ingest.allSequences();
        assertThat(out).extracting(TokenSequence::sequence).containsExactly(0L, 1L);
        int[] emitted = concat(out.get(0).tokens(), out.get(1).tokens(), ingest.remainder("s", "train").remainder());
        assertThat(emitted).containsExactly(concat(tokens("abcde"), EOS, tokens("fghijklmnopq"), EOS));
        assertThat(ingest.remainder("s", "train").nextSequence()).isEqualTo(2);
    }

    @Test
    void shouldWriteADocumentsWholeSequencesInBlocksOfAtMostTheConfiguredNumber() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=4", "cpt.ingest.heldout.fraction=0", "cpt.ingest.sequences.per.record=3");
        String text = "abcdefghijklmnopqrstuvwxyz0123456789!"; // 37 bytes + EOS = 38 tokens: 9 sequences, 2 left

        ingest.text("s", "x"); // 2 tokens wait in the remainder
        ingest.text("s", text);

        List<TestRecord<String, List<TokenSequence>>> records = ingest.blocks(dev.cpt.core.kafka.Topics.SEQUENCES).readRecordsToList();
        assertThat(records).extracting(r -> r.value().size()).as("10 sequences: 3 + 3 + 3 + 1").containsExactly(3, 3, 3, 1);
        assertThat(records).extracting(TestRecord::key).containsOnly("s");
        List<TokenSequence> all = records.stream().flatMap(r -> r.value().stream()).toList();
        assertThat(all).extracting(TokenSequence::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        int[] emitted = concat(concat(all.stream().map(TokenSequence::tokens).toArray(int[][]::new)),
                ingest.remainder("s", "train").remainder());
        assertThat(emitted).containsExactly(concat(tokens("x"), EOS, tokens(text), EOS));
        assertThat(ingest.count(IngestMetrics.SEQUENCES, "stream", "s", "split", "train")).isEqualTo(10);
    }

    @Test
    void shouldNumberAndPackEachStreamSeparately() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=3", "cpt.ingest.heldout.fraction=0");

        ingest.text("a", "xy");
        ingest.text("b", "pq");
        ingest.text("a", "zw");

        List<TestRecord<String, TokenSequence>> out = ingest.sequences.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly("a", "b", "a");
        assertThat(out).extracting(r -> r.value().sequence()).containsExactly(0L, 0L, 1L);
        assertThat(out.get(2).value().tokens()).containsExactly('z', 'w', ByteTokenizer.EOS);
    }

    @Test
    void shouldAcceptJsonDocumentWithStreamFieldAndNullKeyThroughRepartition() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=4", "cpt.ingest.heldout.fraction=0");

        ingest.send(null, "{\"id\":\"d1\",\"stream\":\"web\",\"text\":\"hey\",\"meta\":{\"lang\":\"en\"}}");

        TestRecord<String, TokenSequence> r = ingest.sequences.readRecord();
        assertThat(r.key()).isEqualTo("web");
        assertThat(r.value().tokens()).containsExactly('h', 'e', 'y', ByteTokenizer.EOS);
        assertThat(r.headers().toArray()).as("producer headers are not copied onto sequences").isEmpty();
    }

    @Test
    void shouldSkipTheRepartitionTopicOnlyForRecordsKeyedByTheirStreamOnThatKeysPartition() {
        ingest = new IngestDriver(4, "cpt.ingest.sequence.length=3", "cpt.ingest.heldout.fraction=0");
        String repartition = "ingest-test-" + IngestTopology.REPARTITION + "-repartition";
        String home = streamOnPartition(true);    // the driver feeds partition 0
        String away = streamOnPartition(false);

        ingest.text(home, "ab");
        assertThat(ingest.driver.producedTopicNames()).as("keyed by its stream, on its partition").doesNotContain(repartition);
        ingest.text(away, "cd");
        assertThat(ingest.driver.producedTopicNames()).as("keyed by its stream, on another partition").contains(repartition);

        assertThat(ingest.sequences.readRecordsToList())
                .extracting(TestRecord::key, r -> r.value().sequence(), r -> r.value().tokens()[0])
                .containsExactly(tuple(home, 0L, (int) 'a'), tuple(away, 0L, (int) 'c'));
        ingest.assertNoOutputLeft();
    }

    /** A stream id whose key Kafka's default partitioner puts (or does not put) on partition 0 of 4. */
    private static String streamOnPartition(boolean zero) {
        for (int i = 0; ; i++) {
            String s = "s" + i;
            if ((PlaceProcessor.partitionOf(IngestDriver.utf8(s), 4) == 0) == zero) {
                return s;
            }
        }
    }

    @Test
    void shouldPreferStreamFieldOverRecordKey() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=2", "cpt.ingest.heldout.fraction=0");

        ingest.send("other", "{\"stream\":\"web\",\"text\":\"h\"}");

        assertThat(ingest.sequences.readRecord().key()).isEqualTo("web");
    }

    @Test
    void shouldReadTextStartingWithBraceAsTextWhenHeaderSaysText() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=3", "cpt.ingest.heldout.fraction=0");

        ingest.send("code", "{}", DocHeaders.FORMAT, DocHeaders.FORMAT_TEXT);

        assertThat(ingest.sequences.readValue().tokens()).containsExactly('{', '}', ByteTokenizer.EOS);
    }

    @Test
    void shouldDropExactDuplicatesPerStreamAfterNormalizationAndCountThem() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=2", "cpt.ingest.heldout.fraction=0");

        ingest.text("s", "same text");
        ingest.text("s", "  same\n\ttext ");
        ingest.text("t", "same text");

        List<TestRecord<String, TokenSequence>> out = ingest.sequences.readRecordsToList();
        assertThat(out.stream().filter(r -> r.key().equals("s")).count()).as("9 bytes + EOS = 5 sequences of 2").isEqualTo(5);
        assertThat(out.stream().filter(r -> r.key().equals("t")).count()).as("another stream keeps its copy").isEqualTo(5);
        assertThat(ingest.count(IngestMetrics.DOCUMENTS, "stream", "s", "outcome", "duplicate")).isEqualTo(1);
        assertThat(ingest.count(IngestMetrics.DOCUMENTS, "stream", "s", "outcome", "accepted")).isEqualTo(1);
    }

    @Test
    void shouldAcceptADuplicateAgainOnceTheTtlHasPassed() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=2", "cpt.ingest.heldout.fraction=0", "cpt.ingest.dedup.ttl=1h");

        ingest.docs.pipeInput(new TestRecord<>(utf8("s"), utf8("x"), java.time.Instant.parse("2026-01-01T00:00:00Z")));
        ingest.docs.pipeInput(new TestRecord<>(utf8("s"), utf8("x"), java.time.Instant.parse("2026-01-01T00:30:00Z")));
        // stream time must move past the retention for the old segment to expire
        ingest.docs.pipeInput(new TestRecord<>(utf8("s"), utf8("other"), java.time.Instant.parse("2026-01-01T04:00:00Z")));
        ingest.docs.pipeInput(new TestRecord<>(utf8("s"), utf8("x"), java.time.Instant.parse("2026-01-01T04:01:00Z")));

        assertThat(ingest.count(IngestMetrics.DOCUMENTS, "stream", "s", "outcome", "duplicate")).isEqualTo(1);
        assertThat(ingest.count(IngestMetrics.DOCUMENTS, "stream", "s", "outcome", "accepted")).isEqualTo(3);
        ingest.sequences.readRecordsToList();
    }

    @Test
    void shouldSendEachDocumentToTheSameSideOfTheHeldOutSplitByItsId() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=2", "cpt.ingest.heldout.fraction=0.5", "cpt.ingest.dedup.ttl=1m");
        int held = 0;
        for (int i = 0; i < 200; i++) {
            String id = "doc-" + i;
            boolean expectHeld = ContentHash.unitInterval(id) < 0.5;
            ingest.send("s", "{\"id\":\"" + id + "\",\"text\":\"" + (char) ('a' + i % 26) + i + "\"}");
            // every document is at least 2 tokens + EOS, so it completes at least one sequence on its side
            assertThat(expectHeld ? ingest.heldout.isEmpty() : ingest.sequences.isEmpty()).as(id).isFalse();
            assertThat(expectHeld ? ingest.sequences.isEmpty() : ingest.heldout.isEmpty()).as(id).isTrue();
            ingest.heldout.readRecordsToList();
            ingest.sequences.readRecordsToList();
            held += expectHeld ? 1 : 0;
        }
        assertThat(held).as("about half of 200").isBetween(70, 130);
    }

    @Test
    void shouldDeriveTheSameHeldOutSideForTheSameIdOnEveryRun() {
        assertThat(ContentHash.unitInterval("stable-id")).isEqualTo(ContentHash.unitInterval("stable-id"));
        assertThat(ContentHash.unitInterval("stable-id")).isNotEqualTo(ContentHash.unitInterval("stable-id2"));
        assertThat(ContentHash.derivedId(" a  b ")).isEqualTo(ContentHash.derivedId("a b")).startsWith("sha256:");
    }

    @Test
    void shouldCountBytesTokensAndSequencesPerStream() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=4", "cpt.ingest.heldout.fraction=0");

        ingest.text("s", "héllo"); // 6 UTF-8 bytes

        assertThat(ingest.count(IngestMetrics.BYTES, "stream", "s")).isEqualTo(6);
        assertThat(ingest.count(IngestMetrics.TOKENS, "stream", "s")).isEqualTo(7);
        assertThat(ingest.count(IngestMetrics.SEQUENCES, "stream", "s", "split", "train")).isEqualTo(1);
        assertThat(ingest.count(IngestMetrics.DOCUMENTS_IN)).isEqualTo(1);
        assertThat(ingest.sequences.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldCarryTheTokenizerIdAndVocabularyOfAHuggingFaceTokenizer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("tokenizer.json"),
                dev.cpt.ingest.tokenize.HfTokenizerTest.WORD_LEVEL);
        ingest = new IngestDriver("cpt.ingest.sequence.length=4", "cpt.ingest.heldout.fraction=0",
                "cpt.ingest.tokenizer=" + file);

        ingest.text("s", "the cat sat");

        TokenSequence s = ingest.sequences.readValue();
        assertThat(s.tokens()).containsExactly(1, 2, 3, 9);
        assertThat(s.tokenizer()).startsWith("hf-");
        assertThat(s.vocabSize()).isEqualTo(10);
    }

    @Test
    void shouldWriteBlocksOfAHuggingFaceTokenizersSequencesToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("tokenizer.json"),
                dev.cpt.ingest.tokenize.HfTokenizerTest.WORD_LEVEL);
        ingest = new IngestDriver("cpt.ingest.sequence.length=2", "cpt.ingest.heldout.fraction=0",
                "cpt.ingest.tokenizer=" + file, "cpt.ingest.sequences.per.record=2");

        ingest.text("s", "the cat sat"); // 1 2 3 EOS: two sequences, one block

        List<List<TokenSequence>> blocks = ingest.blocks(dev.cpt.core.kafka.Topics.SEQUENCES).readValuesToList();
        assertThat(blocks).hasSize(1);
        assertThat(blocks.get(0)).extracting(TokenSequence::sequence).containsExactly(0L, 1L);
        assertThat(blocks.get(0).get(0).tokens()).containsExactly(1, 2);
        assertThat(blocks.get(0).get(1).tokens()).containsExactly(3, 9);
        assertThat(blocks.get(0).get(1).tokenizer()).startsWith("hf-");
    }

    static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldNotStopOnBadInputAndKeepProcessingGoodRecords() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=2", "cpt.ingest.heldout.fraction=0");

        ingest.send("s", "{broken");
        ingest.docs.pipeInput(utf8("s"), new byte[]{(byte) 0xff});
        ingest.text("s", "ok");

        assertThat(ingest.dlq.readRecordsToList()).hasSize(2);
        assertThat(ingest.sequences.readValuesToList()).hasSize(1);
        assertThat(Duration.ZERO).isZero();
    }
}
