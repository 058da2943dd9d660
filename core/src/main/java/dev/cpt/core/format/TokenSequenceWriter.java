package dev.cpt.core.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes {@link TokenSequence} records (one sequence, or a block of several) of one stream and tokenizer from pieces (token arrays, and
 * byte arrays whose bytes are tokens), without an {@code int[]} of each sequence: the ingest's
 * byte-level path copies a document's UTF-8 bytes straight into the record. The result is always
 * byte for byte what {@link TokenSequenceSerde#encode} writes for the same sequence.
 * <p>
 * Not thread-safe; reusable: {@link #begin}, pieces, {@link #finish} or {@link #finishBlock}, and again.
 */
public final class TokenSequenceWriter {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String stream;
    private final String tokenizer;
    private final int vocabSize;
    /** the ids' UTF-8, encoded once rather than for every record */
    private final byte[] streamUtf8;
    private final byte[] tokenizerUtf8;
    /** the tokens in width 1 (escaped), header excluded */
    private byte[] body = new byte[1024];
    private int bodyLength;
    private int count;
    private int escaped;
    private long sequence = -1;

    /** @throws IllegalArgumentException for vocabularies over 65536 (width 1 needs u16 escapes) or ids over 255 bytes */
    public TokenSequenceWriter(String stream, String tokenizer, int vocabSize) {
        if (vocabSize > 65_536) {
            throw new IllegalArgumentException("a TokenSequenceWriter needs a vocabulary of at most 65536 tokens, not " + vocabSize);
        }
        this.stream = stream;
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.streamUtf8 = stream.getBytes(StandardCharsets.UTF_8);
        this.tokenizerUtf8 = tokenizer.getBytes(StandardCharsets.UTF_8);
        // fail now, not at the first record, on ids that are too long
        TokenSequenceSerde.start(streamUtf8, 0, tokenizerUtf8, vocabSize, 0, 1, 0);
    }

    /** Starts the record of sequence number {@code sequence}, dropping any unfinished one. */
    public TokenSequenceWriter begin(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence number must be >= 0: " + sequence);
        }
        this.sequence = sequence;
        bodyLength = 0;
        count = 0;
        escaped = 0;
        return this;
    }

    /** Appends {@code tokens[from, from + n)}. */
    public TokenSequenceWriter tokens(int[] tokens, int from, int n) {
        ensure(3L * n);
        for (int i = from; i < from + n; i++) {
            put(tokens[i]);
        }
        return this;
    }

    /** Appends one token per byte of {@code bytes[from, from + n)}, the byte read unsigned (0..255). */
    public TokenSequenceWriter bytes(byte[] bytes, int from, int n) {
        if (vocabSize < 256) {
            throw new IllegalArgumentException("byte tokens need a vocabulary of at least 256, not " + vocabSize);
        }
        ensure(3L * n);
        int at = bodyLength;
        System.arraycopy(bytes, from, body, at, n);
        // 0xFF is the escape; UTF-8 never has it, so this check almost always finds nothing
        if (hasFF(body, at, n)) {
            bodyLength = at;
            for (int i = from; i < from + n; i++) {
                put(bytes[i] & 0xff);
            }
        } else {
            bodyLength = at + n;
            count += n;
        }
        return this;
    }

    /** Appends one token. */
    public TokenSequenceWriter token(int token) {
        ensure(3);
        put(token);
        return this;
    }

    /** The record of the tokens appended since {@link #begin}. */
    public byte[] finish() {
        if (sequence < 0) {
            throw new IllegalStateException("begin(sequence) first");
        }
        if (!TokenSequenceSerde.widthOneIsShorter(count, escaped)) {
            // the rare case (few tokens, many escapes) goes the general way
            return TokenSequenceSerde.encode(new TokenSequence(stream, sequence, tokenizer, vocabSize, tokens()));
        }
        return TokenSequenceSerde.start(streamUtf8, sequence, tokenizerUtf8, vocabSize, count, 1, bodyLength)
                .put(body, 0, bodyLength).array();
    }

    /**
     * The record of the tokens appended since {@link #begin}, as consecutive sequences of
     * {@code length} tokens: what {@link #finish} writes for one, else the block that
     * {@link TokenSequenceSerde#encodeBlock} writes for them, numbered from {@link #begin}'s number.
     *
     * @throws IllegalStateException when the tokens are not a positive whole number of sequences
     */
    public byte[] finishBlock(int length) {
        if (length < 1 || count == 0 || count % length != 0) {
            throw new IllegalStateException(count + " tokens are not a whole number of sequences of " + length);
        }
        if (count == length) {
            return finish();
        }
        if (!TokenSequenceSerde.widthOneIsShorter(count, escaped)) {
            return TokenSequenceSerde.encodeBlock(TokenSequenceSerde.split(stream, sequence, tokenizer, vocabSize, tokens(), count / length, length));
        }
        return TokenSequenceSerde.startBlock(streamUtf8, sequence, tokenizerUtf8, vocabSize, count / length, length, 1, bodyLength)
                .put(body, 0, bodyLength).array();
    }

    private void put(int t) {
        if (t < 0 || t >= vocabSize) {
            throw new IllegalArgumentException("token " + t + " is outside the vocabulary [0, " + vocabSize + ")");
        }
        escaped += t >= TokenSequenceSerde.ESCAPE ? 1 : 0;
        bodyLength = TokenSequenceSerde.putEscaped(body, bodyLength, t);
        count++;
    }

    private int[] tokens() {
        return TokenSequenceSerde.readEscaped(body, 0, bodyLength, count);
    }

    private void ensure(long more) {
        long need = bodyLength + more;
        if (need > body.length) {
            if (need > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a TokenSequence cannot hold " + need + " bytes of tokens");
            }
            body = Arrays.copyOf(body, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 16L, 2L * body.length)));
        }
    }

    private static boolean hasFF(byte[] b, int from, int n) {
        int i = from;
        int end = from + n;
        for (; i + 8 <= end; i += 8) {
            long x = ~(long) LONG.get(b, i); // a zero byte where b has 0xFF
            if (((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0) {
                return true;
            }
        }
        for (; i < end; i++) {
            if (b[i] == (byte) 0xff) {
                return true;
            }
        }
        return false;
    }
}
