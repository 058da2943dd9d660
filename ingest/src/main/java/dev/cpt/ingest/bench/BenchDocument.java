package dev.cpt.ingest.bench;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One input document of the bench.
 *
 * @param id     the producer's id, or null to let the ingest derive one from the content
 * @param stream the stream id; the record key
 * @param text   the document's text
 */
public record BenchDocument(String id, String stream, String text) {

    public BenchDocument {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
    }

    /** UTF-8 bytes of the text: what the bench's MB count. */
    public long textBytes() {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The copy of this document for pass {@code k} (k >= 1) over a corpus: {@code " #k"} appended to the
     * text and {@code "#k"} to the id, so that the ingest's exact-duplicate filter keeps it.
     */
    public BenchDocument repeat(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("repeat pass must be >= 1: " + k);
        }
        return new BenchDocument(id == null ? null : id + "#" + k, stream, text + " #" + k);
    }

    /**
     * Documents {@code docAt(0), docAt(1), ...} until their text adds up to at least
     * {@code targetBytes}: the one shape of every bench input.
     */
    static java.util.Iterator<BenchDocument> untilBytes(long targetBytes, java.util.function.LongFunction<BenchDocument> docAt) {
        return new java.util.Iterator<>() {
            private long given;
            private long i;

            @Override
            public boolean hasNext() {
                return given < targetBytes;
            }

            @Override
            public BenchDocument next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                BenchDocument d = docAt.apply(i++);
                given += d.textBytes();
                return d;
            }
        };
    }
}
