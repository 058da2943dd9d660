package dev.cpt.ingest.demo;

import java.nio.charset.StandardCharsets;

/**
 * A document's text under construction, counting its UTF-8 bytes as it grows (the size bounds are
 * in bytes, and some words are not ASCII). Generators append whole blocks until {@link #full()}:
 * the target is drawn in [{@value #MIN_TARGET}, {@value #MAX_TARGET}] and no block is longer than
 * {@value #MAX_BLOCK} bytes, so every document ends up within
 * [{@link SyntheticStreams#MIN_BYTES}, {@link SyntheticStreams#MAX_BYTES}].
 */
final class DocumentText {

    static final int MIN_TARGET = 600;
    static final int MAX_TARGET = 3400;
    /** The longest block (line, paragraph, method, closing) a generator may append at once. */
    static final int MAX_BLOCK = 600;

    private final StringBuilder text = new StringBuilder(MAX_TARGET + MAX_BLOCK);
    private final int target;
    private int bytes;

    DocumentText(SplitMix64 rng) {
        this.target = rng.between(MIN_TARGET, MAX_TARGET);
    }

    DocumentText append(String block) {
        text.append(block);
        bytes += utf8Length(block);
        return this;
    }

    /** Whether the text has reached its drawn target length. */
    boolean full() {
        return bytes >= target;
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                // rare (a few place names): let the encoder count surrogates and 2/3-byte chars
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
            n++;
        }
        return n;
    }
}
