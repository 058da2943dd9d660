package dev.cpt.ingest.push;

import dev.cpt.core.format.DocHeaders;

import java.util.Map;
import java.util.Objects;

/**
 * One record for {@code cpt.docs}, not yet sent.
 *
 * @param key the stream id (sent as UTF-8 bytes); always matches {@link dev.cpt.core.format.StreamId}
 * @param value the document exactly as read: a file's raw bytes, or one JSONL line without its line end
 * @param headers record headers (always {@link DocHeaders#FORMAT})
 * @param origin where it was read, for messages: {@code FILE}, {@code FILE:LINE}, {@code stdin} or {@code stdin:LINE}
 */
public record PushRecord(String key, byte[] value, Map<String, String> headers, String origin) {

    public PushRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
        headers = Map.copyOf(headers);
    }

    /** A plain-text document: the ingest reads the whole value as UTF-8 text. */
    static PushRecord text(String stream, byte[] value, String origin) {
        return new PushRecord(stream, value, Map.of(DocHeaders.FORMAT, DocHeaders.FORMAT_TEXT), origin);
    }

    /** A JSON document ({@code {"id", "stream", "text", "meta"}}). */
    static PushRecord json(String stream, byte[] value, String origin) {
        return new PushRecord(stream, value, Map.of(DocHeaders.FORMAT, DocHeaders.FORMAT_JSON), origin);
    }
}
