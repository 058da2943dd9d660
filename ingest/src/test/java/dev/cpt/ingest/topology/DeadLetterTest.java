package dev.cpt.ingest.topology;

import dev.cpt.core.format.DlqReason;
import dev.cpt.core.format.DocHeaders;
import dev.cpt.core.kafka.Topics;
import dev.cpt.ingest.metrics.IngestMetrics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.cpt.ingest.topology.IngestDriver.utf8;
import static dev.cpt.ingest.topology.IngestTopologyTest.header;
import static org.assertj.core.api.Assertions.assertThat;

/** One test per dead-letter reason: the record arrives unchanged, with the reason, a detail and its origin. */
class DeadLetterTest {

    private IngestDriver ingest;

    @AfterEach
    void drained() {
        ingest.assertNoOutputLeft();
        ingest.close();
    }

    static Stream<Arguments> rejects() {
        return Stream.of(
                Arguments.of("malformed JSON", utf8("s"), utf8("{\"text\": \"unterminated"), DlqReason.MALFORMED_JSON, "not JSON"),
                Arguments.of("JSON that is not an object", utf8("s"), utf8("[1,2]"), DlqReason.MALFORMED_JSON, "must be an object"),
                Arguments.of("JSON declared, text sent", utf8("s"), null, DlqReason.MALFORMED_JSON, "not JSON"),
                Arguments.of("no value", utf8("s"), null, DlqReason.MISSING_TEXT, "no value"),
                Arguments.of("empty value", utf8("s"), new byte[0], DlqReason.MISSING_TEXT, "no value"),
                Arguments.of("JSON without text", utf8("s"), utf8("{\"id\":\"x\"}"), DlqReason.MISSING_TEXT, "no \"text\""),
                Arguments.of("blank text", utf8("s"), utf8("{\"text\":\"  \\n \"}"), DlqReason.MISSING_TEXT, "empty or blank"),
                Arguments.of("text not a string", utf8("s"), utf8("{\"text\":42}"), DlqReason.INVALID_FIELD, "\"text\" must be a string"),
                Arguments.of("meta not an object", utf8("s"), utf8("{\"text\":\"t\",\"meta\":[]}"), DlqReason.INVALID_FIELD, "\"meta\""),
                Arguments.of("invalid UTF-8", utf8("s"), new byte[]{'a', (byte) 0xc3, (byte) 0x28}, DlqReason.INVALID_UTF8, "byte offset"),
                Arguments.of("invalid UTF-8 key", new byte[]{(byte) 0xff}, utf8("text"), DlqReason.INVALID_UTF8, "key"),
                Arguments.of("oversize", utf8("s"), utf8("x".repeat(101)), DlqReason.OVERSIZE, "101 bytes; at most 100"),
                Arguments.of("invalid stream id", utf8("Bad Stream!"), utf8("text"), DlqReason.INVALID_STREAM, "[a-z0-9]"),
                Arguments.of("stream not allowed", utf8("secret"), utf8("text"), DlqReason.STREAM_NOT_ALLOWED, "cpt.ingest.streams.allowed"),
                Arguments.of("null key and no stream field", null, utf8("{\"text\":\"t\"}"), DlqReason.NO_STREAM, "no record key"),
                Arguments.of("raw text with null key", null, utf8("plain text"), DlqReason.NO_STREAM, "no record key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejects")
    void shouldSendRejectedRecordUnchangedToDeadLetterTopicWithReason(String name, byte[] key, byte[] value, DlqReason reason,
                                                                      String detail) {
        ingest = new IngestDriver("cpt.ingest.max.document.bytes=100", "cpt.ingest.streams.allowed=s,t");
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", utf8("abc-123"));
        if (name.startsWith("JSON declared") || name.equals("JSON that is not an object")) {
            headers.add(DocHeaders.FORMAT, utf8("json"));
        }
        if (name.equals("JSON declared, text sent")) {
            value = utf8("just text");
        }
        ingest.docs.pipeInput(new TestRecord<>(key, value, headers));

        TestRecord<byte[], byte[]> dead = ingest.dlq.readRecord();
        assertThat(dead.key()).isEqualTo(key);
        assertThat(dead.value()).isEqualTo(value);
        assertThat(header(dead, "trace-id")).as("original headers kept").isEqualTo("abc-123");
        assertThat(header(dead, DocHeaders.ERROR)).isEqualTo(reason.code());
        assertThat(header(dead, DocHeaders.ERROR_DETAIL)).contains(detail);
        assertThat(header(dead, DocHeaders.SOURCE_TOPIC)).isEqualTo(Topics.DOCS);
        assertThat(header(dead, DocHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead, DocHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(ingest.count(IngestMetrics.DEAD_LETTERS, "reason", reason.code())).isEqualTo(1);
    }

    @Test
    void shouldRejectUnknownFormatHeader() {
        ingest = new IngestDriver();
        ingest.send("s", "text", DocHeaders.FORMAT, "xml");

        TestRecord<byte[], byte[]> dead = ingest.dlq.readRecord();
        assertThat(header(dead, DocHeaders.ERROR)).isEqualTo(DlqReason.MALFORMED_JSON.code());
        assertThat(header(dead, DocHeaders.ERROR_DETAIL)).contains("'json' or 'text'");
    }

    @Test
    void shouldRecordOffsetOfEachRejectedRecord() {
        ingest = new IngestDriver("cpt.ingest.sequence.length=100000");
        ingest.text("s", "fine");
        ingest.send("s", "{nope");

        assertThat(header(ingest.dlq.readRecord(), DocHeaders.SOURCE_OFFSET)).isEqualTo("1");
    }
}
