package dev.cpt.ingest.topology;

import dev.cpt.core.format.Document;

/**
 * A document and its text's UTF-8 bytes, passed from dedup to packing inside the topology (never
 * serialized): both hash or tokenize the bytes, and encoding a long text once instead of twice is
 * measurable in {@code cpt bench ingest}.
 *
 * @param utf8 {@code document.text().getBytes(UTF_8)}; not copied, not to be modified
 */
record EncodedDocument(Document document, byte[] utf8) {
}
