package dev.cpt.core.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * One packed training sequence of a stream: exactly {@code cpt.ingest.sequence.length} tokens,
 * documents separated by EOS. The value of {@code cpt.sequences} and {@code cpt.heldout}; the
 * binary form is {@link TokenSequenceSerde} (docs/formats.md).
 *
 * @param stream the stream id (also the record key)
 * @param sequence per-stream, per-topic sequence number: 0, 1, 2, ... without gaps
 * @param tokenizer the tokenizer's id, so a trainer can refuse data it was not built for
 * @param vocabSize the tokenizer's vocabulary size; every token is in {@code [0, vocabSize)}
 * @param tokens the token ids (the array is not copied: treat it as immutable)
 */
public record TokenSequence(String stream, long sequence, String tokenizer, int vocabSize, int[] tokens) {

    public TokenSequence {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(tokens, "tokens");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence number must be >= 0: " + sequence);
        }
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("vocabulary size must be > 0: " + vocabSize);
        }
    }

    public int length() {
        return tokens.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenSequence t && sequence == t.sequence && vocabSize == t.vocabSize
                && stream.equals(t.stream) && tokenizer.equals(t.tokenizer) && Arrays.equals(tokens, t.tokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, sequence, tokenizer, vocabSize) * 31 + Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "TokenSequence[" + stream + " #" + sequence + ", " + tokenizer + "/" + vocabSize + ", " + tokens.length + " tokens]";
    }
}
