package dev.cpt.ingest.topology;

import dev.cpt.core.format.Document;

/**
 * A document and its text's UTF-8 bytes, passed from validation through dedup to packing inside the
 * topology: validation reads the text of a JSON record as bytes, dedup hashes them and packing
 * tokenizes them, and encoding a long text once instead of three times is measurable in
 * {@code cpt bench ingest}. On the repartition topic only the document travels
 * ({@link DocumentSerde#encoded()}).
 *
 * @param utf8 {@code document.text().getBytes(UTF_8)}; not copied, not to be modified (it may be the input record's value)
 */
record EncodedDocument(Document document, byte[] utf8) {
}
