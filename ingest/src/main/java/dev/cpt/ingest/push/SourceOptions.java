package dev.cpt.ingest.push;

import java.util.Objects;
import java.util.Optional;

/**
 * How {@link DocumentSource} reads its inputs.
 *
 * @param stream {@code --stream}: the key of plain-text documents, and of JSONL lines without a "stream" field
 * @param forceJsonl {@code --jsonl}: read every input as JSONL, whatever its name (otherwise only {@code *.jsonl})
 * @param onBadLine what to do with a JSONL line that cannot be sent
 * @param maxDocumentBytes the largest value sent; a bigger file or line is reported and not sent,
 *     so that one huge input can neither exhaust memory nor be refused by Kafka mid-push
 */
public record SourceOptions(Optional<String> stream, boolean forceJsonl, BadLinePolicy onBadLine, int maxDocumentBytes) {

    /**
     * 1 MiB: Kafka's default record size limit (producer max.request.size, broker message.max.bytes).
     * The ingest's own limit (cpt.ingest.max.document.bytes, default 1,000,000) is checked there.
     */
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 1 << 20;

    public SourceOptions {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(onBadLine, "onBadLine");
        if (maxDocumentBytes < 1) {
            throw new IllegalArgumentException("maxDocumentBytes must be >= 1: " + maxDocumentBytes);
        }
    }

    public SourceOptions(Optional<String> stream, boolean forceJsonl, BadLinePolicy onBadLine) {
        this(stream, forceJsonl, onBadLine, DEFAULT_MAX_DOCUMENT_BYTES);
    }
}
