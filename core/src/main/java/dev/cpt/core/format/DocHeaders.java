package dev.cpt.core.format;

/**
 * Record headers of {@code cpt.docs} and {@code cpt.docs.dlq}.
 *
 * <p>On {@code cpt.docs}, {@link #FORMAT} ({@code json} or {@code text}) says how to read the value;
 * without it a value whose first non-blank character is '{' is read as JSON, anything else as text.
 *
 * <p>On {@code cpt.docs.dlq}, each rejected record keeps its key, value and headers unchanged and
 * gains {@link #ERROR} (a {@link DlqReason} code), {@link #ERROR_DETAIL} (words for a person) and
 * where it came from.
 */
public final class DocHeaders {

    public static final String FORMAT = "cpt.format";
    public static final String FORMAT_JSON = "json";
    public static final String FORMAT_TEXT = "text";

    public static final String ERROR = "cpt.error";
    public static final String ERROR_DETAIL = "cpt.error.detail";
    public static final String SOURCE_TOPIC = "cpt.source.topic";
    public static final String SOURCE_PARTITION = "cpt.source.partition";
    public static final String SOURCE_OFFSET = "cpt.source.offset";

    private DocHeaders() {
    }
}
