package dev.cpt.ingest.bench;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.IngestSettings;
import dev.cpt.core.format.DocHeaders;
import dev.cpt.ingest.topology.IngestOptions;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ExpectationTest {

    private static Expectation expectation(int length) {
        Config config = Config.defaults().with(IngestSettings.SEQUENCE_LENGTH, String.valueOf(length))
                .with(IngestSettings.HELDOUT_FRACTION, "0");
        return new Expectation(IngestOptions.from(config));
    }

    private static void addText(Expectation e, String stream, String text) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DocHeaders.FORMAT, DocHeaders.FORMAT_TEXT.getBytes(StandardCharsets.UTF_8));
        byte[] value = text.getBytes(StandardCharsets.UTF_8);
        e.add(stream.getBytes(StandardCharsets.UTF_8), value, headers, value.length);
    }

    @Test
    void shouldExpectWholeSequencesOfEachStreamsBytesPlusOneEosPerDocument() {
        Expectation e = expectation(4);

        addText(e, "a", "hello");   // 6 tokens
        addText(e, "a", "wörld");   // 6 bytes + EOS = 7 tokens: stream a has 13 -> 3 sequences, 1 left
        addText(e, "b", "xy");      // 3 tokens -> 0 sequences, 3 left

        assertThat(e.tokens()).isEqualTo(16);
        assertThat(e.sequences()).isEqualTo(3);
        assertThat(e.sequences(false)).isEqualTo(3);
        assertThat(e.remainderTokens()).isEqualTo(4);
        assertThat(e.acceptedBytes()).isEqualTo(e.inputTextBytes()).isEqualTo(13);
    }

    @Test
    void shouldAccountDuplicatesAndRejectedRecordsWithoutTokens() {
        Expectation e = expectation(4);

        addText(e, "a", "same text");
        addText(e, "a", "same   text ");    // equal after whitespace normalization
        addText(e, "b", "same text");       // another stream: not a duplicate
        addText(e, "Not A Stream", "text"); // invalid stream id

        assertThat(e.records()).isEqualTo(4);
        assertThat(e.accepted()).isEqualTo(2);
        assertThat(e.duplicates()).isEqualTo(1);
        assertThat(e.duplicateBytes()).isEqualTo(12);
        assertThat(e.rejected()).isEqualTo(1);
        assertThat(e.acceptedBytes() + e.duplicateBytes() + e.rejectedTextBytes()).isEqualTo(e.inputTextBytes());
        assertThat(e.tokens()).isEqualTo(20);
    }

    @Test
    void shouldDigestEqualTokenStreamsEquallyHoweverTheyAreCut() {
        SequenceDigest docs = new SequenceDigest(3);
        docs.add(new int[]{1, 2});
        docs.add(256);
        docs.add(new int[]{4, 5, 6, 7});
        SequenceDigest sequences = new SequenceDigest(3);
        sequences.add(new int[]{1, 2, 256});
        sequences.add(new int[]{4, 5, 6});
        SequenceDigest other = new SequenceDigest(3);
        other.add(new int[]{1, 2, 256, 4, 6, 5});

        assertThat(docs.sequences()).isEqualTo(2);
        assertThat(docs.remainder()).isEqualTo(1);
        assertThat(docs.crc()).isEqualTo(sequences.crc()).isNotEqualTo(other.crc());
    }
}
