package dev.cpt.ingest.demo;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The documents of the built-in synthetic streams.
 *
 * <p>Contract, for every stream, seed and index:
 * <ul>
 *   <li><b>deterministic</b>: document {@code i} depends only on (stream, seed, i), never on the
 *       JVM, the platform or which documents were generated before; the same seed gives
 *       byte-identical documents, another seed different ones;</li>
 *   <li><b>addressable</b>: {@link #document} computes any index directly, and
 *       {@link #documents} yields indices 0, 1, 2, ... lazily and without end;</li>
 *   <li><b>unique</b>: the index is written into the text, so no two documents of a stream and
 *       seed are equal, and the ingest's exact-duplicate filter never drops one. Pushing the same
 *       seed and indices again (e.g. after a restart) does produce duplicates: use another seed or
 *       go on from a later index;</li>
 *   <li><b>bounded</b>: valid UTF-8 text of {@value #MIN_BYTES} to {@value #MAX_BYTES} bytes.</li>
 * </ul>
 */
public final class SyntheticStreams {

    /** Fewest UTF-8 bytes in a document's text. */
    public static final int MIN_BYTES = 512;
    /** Most UTF-8 bytes in a document's text. */
    public static final int MAX_BYTES = 4096;

    private SyntheticStreams() {
    }

    /**
     * The documents of a stream from index 0 on: lazy, infinite, deterministic.
     *
     * @throws IllegalArgumentException when {@code stream} is not a {@link SyntheticStream} id
     */
    public static Iterator<DemoDocument> documents(String stream, long seed) {
        SyntheticStream s = SyntheticStream.require(stream);
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next >= 0; // false only after 2^63 documents
            }

            @Override
            public DemoDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return document(s, seed, next++);
            }
        };
    }

    /** The same documents as {@link #documents} as an infinite sequential stream; limit it. */
    public static Stream<DemoDocument> stream(String stream, long seed) {
        SyntheticStream s = SyntheticStream.require(stream);
        return LongStream.iterate(0, i -> i + 1).mapToObj(i -> document(s, seed, i));
    }

    /**
     * Document {@code index} of a stream, computed directly.
     *
     * @throws IllegalArgumentException for an unknown stream or a negative index
     */
    public static DemoDocument document(String stream, long seed, long index) {
        return document(SyntheticStream.require(stream), seed, index);
    }

    static DemoDocument document(SyntheticStream stream, long seed, long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0: " + index);
        }
        String text = stream.generator().text(index, new SplitMix64(documentSeed(stream, seed, index)));
        // Locale.ROOT: some locales format %d with non-ASCII digits, and ids must not depend on the JVM's
        return new DemoDocument(String.format(Locale.ROOT, "%s/%06d", stream.id(), index), stream.id(), text);
    }

    /**
     * One independent random source per document: (stream, seed, index) is mixed through the
     * SplitMix64 finalizer so that neighbouring indices or seeds give unrelated documents, and
     * the streams differ under one seed.
     */
    private static long documentSeed(SyntheticStream stream, long seed, long index) {
        return SplitMix64.mix(SplitMix64.mix(seed ^ fnv1a(stream.id())) + index);
    }

    /** FNV-1a over the id's UTF-8 bytes: a stream salt that, unlike an enum ordinal, survives reordering. */
    private static long fnv1a(String id) {
        long h = 0xCBF29CE484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }
}
