package dev.cpt.ingest.validate;

import dev.cpt.core.format.DlqReason;
import dev.cpt.core.format.Document;
import dev.cpt.ingest.dedup.ContentHash;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/** What validation made of one record of {@code cpt.docs}. */
public sealed interface Outcome {

    /**
     * A valid document, ready for dedup; the value of the topology's stream from validation to packing.
     *
     * @param utf8 the UTF-8 bytes of the document's text, which dedup hashes and packing tokenizes: encoding
     *             a long text once instead of at each step is measurable in {@code cpt bench ingest}. May be
     *             the record's own value (a raw-text record), so never modified
     * @param dedupKey {@link ContentHash#dedupKey(String, String, byte[])} of the document: hashed with
     *             validation, so that both can run ahead of the stream thread ({@code Lookahead})
     */
    record Accepted(String id, String stream, Map<String, Object> meta, byte[] utf8, byte[] dedupKey) implements Outcome {

        public Accepted {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(stream, "stream");
            meta = meta == null ? Map.of() : Map.copyOf(meta);
        }

        /** The accepted document with its dedup key computed. */
        public static Accepted of(Document document, byte[] utf8) {
            return new Accepted(document.id(), document.stream(), document.meta(), utf8,
                    ContentHash.dedupKey(document.stream(), document.text(), utf8));
        }

        /**
         * The text, decoded from {@link #utf8} on each call: a byte-level ingest never needs it, and decoding
         * (with the blank check on the string) took 0.08-0.18 s per 300 MB of en-sotu text on one thread, where the
         * lookahead worker's whole share of a {@code cpt bench ingest} window is 0.3-0.4 s.
         */
        public String text() {
            return new String(utf8, StandardCharsets.UTF_8);
        }

        /** The document, with its text decoded ({@link #text()}). */
        public Document document() {
            return new Document(id, stream, text(), meta);
        }
    }

    /** A rejected record: its original value goes to the dead-letter topic with the reason. */
    record Rejected(DlqReason reason, String detail, byte[] original) implements Outcome {
    }
}
