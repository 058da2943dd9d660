package dev.cpt.ingest.tokenize;

/**
 * Turns a document's text into token ids. Implementations are immutable and thread-safe.
 * {@link #id()} and {@link #vocabSize()} travel with every {@code TokenSequence}, so a trainer can
 * refuse data made by a tokenizer it was not built for.
 */
public interface Tokenizer {

    /** A stable id of the tokenizer and its vocabulary, e.g. {@code byte-v1}. */
    String id();

    /** Every token is in {@code [0, vocabSize())}. */
    int vocabSize();

    /** The end-of-document token appended after every document. */
    int eos();

    /** The document's tokens, without the trailing EOS. */
    int[] encode(String text);

    /**
     * {@link #encode(String)} when the caller already holds the text's UTF-8 bytes, which a
     * byte-level tokenizer uses instead of encoding the text again.
     *
     * @param utf8 {@code text.getBytes(UTF_8)}; read, never modified
     */
    default int[] encode(String text, byte[] utf8) {
        return encode(text);
    }

    /**
     * Whether a text's tokens are exactly its UTF-8 bytes, read unsigned: then the ingest packs the
     * bytes themselves, with no token array in between.
     */
    default boolean byteLevel() {
        return false;
    }
}
