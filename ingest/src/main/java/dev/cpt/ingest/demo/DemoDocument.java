package dev.cpt.ingest.demo;

import dev.cpt.core.format.Document;

import java.util.Map;
import java.util.Objects;

/**
 * One synthetic document.
 *
 * @param id     {@code <stream>/<index>}, the index zero-padded to at least six digits, e.g.
 *               {@code demo-arith/000042}; unique per stream and seed-independent, so the same
 *               index under another seed has the same id but different text
 * @param stream the stream id, e.g. {@code demo-arith}
 * @param text   the document, {@link SyntheticStreams#MIN_BYTES} to {@link SyntheticStreams#MAX_BYTES} UTF-8 bytes
 */
public record DemoDocument(String id, String stream, String text) {

    /** Metadata every demo document carries into {@code cpt.docs}, so its origin is visible downstream. */
    public static final Map<String, Object> META = Map.of("source", "cpt-demo");

    public DemoDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
    }

    /** The document in the form producers send to {@code cpt.docs}. */
    public Document toDocument() {
        return new Document(id, stream, text, META);
    }
}
