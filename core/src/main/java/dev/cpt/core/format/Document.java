package dev.cpt.core.format;

import java.util.Map;
import java.util.Objects;

/**
 * A document as producers send it to {@code cpt.docs}, once validated. On the wire it is JSON
 * {@code {"id": "...", "stream": "...", "text": "...", "meta": {...}}} or raw UTF-8 text with the
 * stream id as the record key (docs/formats.md).
 *
 * @param id the producer's id, or one derived from the content hash
 * @param meta free-form metadata, carried but not interpreted
 */
public record Document(String id, String stream, String text, Map<String, Object> meta) {

    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
        meta = meta == null ? Map.of() : Map.copyOf(meta);
    }
}
