package dev.cpt.core.format;

import java.util.Locale;

/** Why the ingest rejected a record; the lower-case name is the {@code cpt.error} header and the metric tag. */
public enum DlqReason {
    /** The value was declared or sniffed as JSON but does not parse, or is not a JSON object. */
    MALFORMED_JSON,
    /** A JSON field has the wrong type (id or stream not a string, meta not an object). */
    INVALID_FIELD,
    /** No value, an empty value, or a JSON document without a non-blank "text". */
    MISSING_TEXT,
    /** The value (or the key) is not valid UTF-8. */
    INVALID_UTF8,
    /** The value is larger than cpt.ingest.max.document.bytes. */
    OVERSIZE,
    /** The stream id does not match [a-z0-9][a-z0-9._-]{0,63}. */
    INVALID_STREAM,
    /** The stream is not in cpt.ingest.streams.allowed. */
    STREAM_NOT_ALLOWED,
    /** Neither a record key nor a "stream" field names the stream. */
    NO_STREAM;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
