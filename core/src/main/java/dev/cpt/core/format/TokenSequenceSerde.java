package dev.cpt.core.format;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Binary form of {@link TokenSequence}, big-endian (docs/formats.md):
 * <pre>
 * magic 'T' 'S' | version u8 | width u8
 * stream: u8 length + UTF-8 | sequence i64 | tokenizer: u8 length + UTF-8 | vocab size i32
 * versions 1, 2: token count i32 | tokens
 * version 3:     sequence count i32 | tokens per sequence i32 | tokens of every sequence, in order
 * </pre>
 * Version 1 has widths 2 (u16 tokens, vocabulary of at most 65536) and 4 (i32 tokens). Version 2
 * adds width 1: a token below 255 is one byte, any other is the byte 255 followed by the token as
 * u16. A byte-level tokenizer's tokens are UTF-8 bytes, which never take the value 255, so its
 * sequences cost one byte per token plus two per separator: half of u16 on the topic, on the disk
 * and in the compressor.
 * <p>
 * {@link #encode} writes the smallest of these, as the lowest version that has it (so readers of
 * version 1 still read every record of widths 2 and 4); {@link #encodeFixed} always writes
 * version 1, whose size depends only on the stream, the tokenizer, the vocabulary and the length.
 * <p>
 * Version 3 is a block: consecutive sequences of one stream, numbered from the header's sequence
 * number on, all of one length, in any width. One record per sequence cost the ingest's
 * stream thread about a microsecond per record in Kafka Streams and the producer (a quarter of the
 * ingest at 257 tokens), and the broker validates each record; a block of 16 pays that once. {@link #encodeBlock} writes a block of one
 * sequence as {@link #encode} does, so version 3 always holds at least two. {@link #decodeAll}
 * reads every version; {@link #decode} refuses a block of several.
 */
public final class TokenSequenceSerde implements Serde<TokenSequence>, Serializer<TokenSequence>, Deserializer<TokenSequence> {

    /** The newest version this class reads and writes. */
    public static final byte VERSION = 3;
    /** Version of a block record of several sequences. */
    static final byte BLOCK = 3;
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final byte M0 = 'T';
    private static final byte M1 = 'S';
    /** In width 1: the byte that announces a u16 token; also the first token that needs it. */
    static final int ESCAPE = 255;

    /** The smallest binary form: width 1 when it is shorter than width 2, else version 1 (width 2 or 4). */
    public static byte[] encode(TokenSequence s) {
        int[] tokens = s.tokens();
        if (s.vocabSize() <= 65_536) {
            int escaped = escaped(tokens);
            if (widthOneIsShorter(tokens.length, escaped)) {
                ByteBuffer b = start(s, 1, tokens.length + 2 * escaped);
                putTokens(b.array(), b.position(), tokens, 1, escaped == 0);
                return b.array();
            }
        }
        return encodeFixed(s);
    }

    /** How many tokens width 1 must escape (those >= {@link #ESCAPE}). */
    private static int escaped(int[] tokens) {
        int escaped = 0;
        for (int t : tokens) {
            escaped += (ESCAPE - 1 - t) >>> 31; // 1 when t >= ESCAPE: arithmetic, so the loop vectorizes
        }
        return escaped;
    }

    /**
     * Writes {@code tokens} at {@code p} in {@code width}; returns the position after them. The tokens
     * go straight into the array: a record is almost all tokens, and this runs for every one.
     *
     * @param noEscapes width 1 only: no token needs an escape, so a plain narrowing loop (which the JIT vectorizes) does
     */
    private static int putTokens(byte[] out, int p, int[] tokens, int width, boolean noEscapes) {
        if (width == 1 && noEscapes) {
            for (int i = 0; i < tokens.length; i++) {
                out[p + i] = (byte) tokens[i];
            }
            return p + tokens.length;
        }
        for (int t : tokens) {
            if (width == 1) {
                p = putEscaped(out, p, t);
            } else if (width == 2) {
                U16.set(out, p, (short) t);
                p += 2;
            } else {
                I32.set(out, p, t);
                p += 4;
            }
        }
        return p;
    }

    /** Version 1 (width 2, or 4 for vocabularies over 65536): every sequence of the same shape has the same size. */
    public static byte[] encodeFixed(TokenSequence s) {
        int[] tokens = s.tokens();
        int width = s.vocabSize() <= 65_536 ? 2 : 4;
        ByteBuffer b = start(s, width, width * tokens.length);
        putTokens(b.array(), b.position(), tokens, width, false);
        return b.array();
    }

    /**
     * One record of {@code sequences}: consecutive sequence numbers of one stream, tokenizer and
     * vocabulary, all of one length. One sequence is written as {@link #encode} writes it; several as
     * a version 3 block in the smallest width.
     *
     * @throws IllegalArgumentException when the sequences do not form such a run
     */
    public static byte[] encodeBlock(java.util.List<TokenSequence> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("a block holds at least one sequence");
        }
        TokenSequence first = sequences.get(0);
        if (sequences.size() == 1) {
            return encode(first);
        }
        int length = first.tokens().length;
        int escaped = 0;
        for (int i = 0; i < sequences.size(); i++) {
            TokenSequence s = sequences.get(i);
            if (!s.stream().equals(first.stream()) || !s.tokenizer().equals(first.tokenizer()) || s.vocabSize() != first.vocabSize()
                    || s.sequence() != first.sequence() + i || s.tokens().length != length) {
                throw new IllegalArgumentException("a block holds consecutive sequences of one stream, tokenizer and length: "
                        + s.stream() + " #" + s.sequence() + " (" + s.tokens().length + " tokens) does not follow " + first.stream()
                        + " #" + first.sequence() + " (" + length + " tokens) at index " + i);
            }
            escaped += escaped(s.tokens());
        }
        int total = Math.multiplyExact(length, sequences.size());
        int width = first.vocabSize() > 65_536 ? 4 : widthOneIsShorter(total, escaped) ? 1 : 2;
        ByteBuffer b = startBlock(first.stream().getBytes(StandardCharsets.UTF_8), first.sequence(),
                first.tokenizer().getBytes(StandardCharsets.UTF_8), first.vocabSize(), sequences.size(), length, width,
                width == 1 ? total + 2 * escaped : width * total);
        int p = b.position();
        for (TokenSequence s : sequences) {
            p = putTokens(b.array(), p, s.tokens(), width, escaped == 0);
        }
        return b.array();
    }

    /** 1 + 2 bytes per escaped token against 2 per token: whether width 1 is strictly shorter than width 2. */
    static boolean widthOneIsShorter(int count, int escaped) {
        return escaped * 3L + (count - escaped) < 2L * count;
    }

    private static ByteBuffer start(TokenSequence s, int width, int tokenBytes) {
        return start(s.stream().getBytes(StandardCharsets.UTF_8), s.sequence(), s.tokenizer().getBytes(StandardCharsets.UTF_8),
                s.vocabSize(), s.tokens().length, width, tokenBytes);
    }

    /**
     * A record's array with its header written, positioned at the first token: version 2 for width 1,
     * else version 1.
     */
    static ByteBuffer start(byte[] stream, long sequence, byte[] tokenizer, int vocabSize, int count, int width, int tokenBytes) {
        if (stream.length > 255 || tokenizer.length > 255) {
            throw new IllegalArgumentException("stream id and tokenizer id must be at most 255 bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + stream.length + 8 + 1 + tokenizer.length + 4 + 4 + tokenBytes);
        b.put(M0).put(M1).put((byte) (width == 1 ? 2 : 1)).put((byte) width);
        b.put((byte) stream.length).put(stream).putLong(sequence);
        b.put((byte) tokenizer.length).put(tokenizer).putInt(vocabSize);
        return b.putInt(count);
    }

    /** A version 3 record's array with its header written, positioned at the first token. */
    static ByteBuffer startBlock(byte[] stream, long firstSequence, byte[] tokenizer, int vocabSize, int sequences, int length,
                                 int width, int tokenBytes) {
        ByteBuffer b = start(stream, firstSequence, tokenizer, vocabSize, sequences, width, tokenBytes + 4);
        b.put(2, BLOCK);
        return b.putInt(length);
    }

    /**
     * The one sequence of a record of version 1 or 2, or of a block of one.
     *
     * @throws SerializationException naming what is wrong with the bytes, or when the record is a block of several
     */
    public static TokenSequence decode(byte[] data) {
        java.util.List<TokenSequence> all = decodeAll(data);
        if (all.size() != 1) {
            throw new SerializationException("this TokenSequence record is a block of " + all.size()
                    + " sequences (version 3): read it with decodeAll");
        }
        return all.get(0);
    }

    /**
     * Every sequence of a record of any version, in order: one for versions 1 and 2, the block's for version 3.
     *
     * @throws SerializationException naming what is wrong with the bytes
     */
    public static java.util.List<TokenSequence> decodeAll(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            if (b.get() != M0 || b.get() != M1) {
                throw new SerializationException("not a TokenSequence (bad magic)");
            }
            byte version = b.get();
            if (version < 1 || version > VERSION) {
                throw new SerializationException("TokenSequence version " + version + " is not supported (this cpt reads versions 1 to "
                        + VERSION + ")");
            }
            int width = b.get();
            if (width != 2 && width != 4 && !(width == 1 && version >= 2)) {
                throw new SerializationException("TokenSequence version " + version + " token width " + width + " is not "
                        + (version >= 2 ? "1, 2 or 4" : "2 or 4"));
            }
            String stream = string(b);
            long seq = b.getLong();
            String tokenizer = string(b);
            int vocab = b.getInt();
            if (version < BLOCK) {
                int n = b.getInt();
                int[] tokens = width == 1 ? bytes(b, n) : fixed(b, n, width);
                return java.util.List.of(new TokenSequence(stream, seq, tokenizer, vocab, tokens));
            }
            int count = b.getInt();
            int length = b.getInt();
            if (count < 1 || length < 0 || (long) count * length > Integer.MAX_VALUE - 16) {
                throw new SerializationException("TokenSequence block of " + count + " sequences of " + length
                        + " tokens: the count must be >= 1 and the tokens fit in an array");
            }
            int n = count * length;
            return split(stream, seq, tokenizer, vocab, width == 1 ? bytes(b, n) : fixed(b, n, width), count, length);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("truncated or corrupt TokenSequence: " + e);
        }
    }

    private static int[] fixed(ByteBuffer b, int n, int width) {
        if (n < 0 || (long) n * width != b.remaining()) {
            throw new SerializationException("TokenSequence says " + n + " tokens but carries " + b.remaining() + " bytes");
        }
        int[] tokens = new int[n];
        byte[] in = b.array();
        int p = b.arrayOffset() + b.position();
        for (int i = 0; i < n; i++, p += width) {
            tokens[i] = width == 2 ? Short.toUnsignedInt((short) U16.get(in, p)) : (int) I32.get(in, p);
        }
        return tokens;
    }

    /** Writes token {@code t} (below 65536) at {@code p} in width 1; returns the position after it. */
    static int putEscaped(byte[] out, int p, int t) {
        if (t < ESCAPE) {
            out[p] = (byte) t;
            return p + 1;
        }
        out[p] = (byte) ESCAPE;
        U16.set(out, p + 1, (short) t);
        return p + 3;
    }

    private static int[] bytes(ByteBuffer b, int n) {
        if (n < 0 || n > b.remaining()) {
            throw new SerializationException("TokenSequence says " + n + " tokens but carries " + b.remaining() + " bytes");
        }
        int p = b.arrayOffset() + b.position();
        return readEscaped(b.array(), p, p + b.remaining(), n);
    }

    /** The {@code n} width-1 tokens in {@code in[p, end)}, which they must fill exactly. */
    static int[] readEscaped(byte[] in, int p, int end, int n) {
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            if (p >= end) {
                throw new SerializationException("TokenSequence says " + n + " tokens but its bytes end after " + i);
            }
            int t = Byte.toUnsignedInt(in[p]);
            if (t == ESCAPE) {
                if (p + 3 > end) {
                    throw new SerializationException("TokenSequence ends inside the escaped token " + i);
                }
                t = Short.toUnsignedInt((short) U16.get(in, p + 1));
                p += 3;
            } else {
                p++;
            }
            tokens[i] = t;
        }
        if (p != end) {
            throw new SerializationException("TokenSequence says " + n + " tokens but carries " + (end - p) + " bytes more");
        }
        return tokens;
    }

    private static String string(ByteBuffer b) {
        int len = Byte.toUnsignedInt(b.get());
        byte[] bytes = new byte[len];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] serialize(String topic, TokenSequence data) {
        return data == null ? null : encode(data);
    }

    @Override
    public TokenSequence deserialize(String topic, byte[] data) {
        return data == null ? null : decode(data);
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }

    /** The {@code count} consecutive sequences of {@code length} tokens that {@code tokens} holds, numbered from {@code first}. */
    static java.util.List<TokenSequence> split(String stream, long first, String tokenizer, int vocabSize, int[] tokens, int count,
                                               int length) {
        TokenSequence[] out = new TokenSequence[count];
        for (int i = 0; i < out.length; i++) {
            out[i] = new TokenSequence(stream, first + i, tokenizer, vocabSize, java.util.Arrays.copyOfRange(tokens, i * length, (i + 1) * length));
        }
        return java.util.List.of(out);
    }

    /** Reads records of any version as the list of their sequences ({@link #decodeAll}). */
    public static Deserializer<java.util.List<TokenSequence>> blocks() {
        return (topic, data) -> data == null ? null : decodeAll(data);
    }

    @Override
    public Serializer<TokenSequence> serializer() {
        return this;
    }

    @Override
    public Deserializer<TokenSequence> deserializer() {
        return this;
    }
}
