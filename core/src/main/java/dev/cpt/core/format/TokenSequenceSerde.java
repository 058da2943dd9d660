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
 * Binary form of {@link TokenSequence}, version 1, big-endian (docs/formats.md):
 * <pre>
 * magic 'T' 'S' | version u8 = 1 | width u8 (2 = u16 tokens, 4 = i32 tokens)
 * stream: u8 length + UTF-8 | sequence i64 | tokenizer: u8 length + UTF-8 | vocab size i32
 * token count i32 | tokens
 * </pre>
 * Tokens are 16-bit when the vocabulary has at most 65536 entries, 32-bit otherwise.
 */
public final class TokenSequenceSerde implements Serde<TokenSequence>, Serializer<TokenSequence>, Deserializer<TokenSequence> {

    public static final byte VERSION = 1;
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final byte M0 = 'T';
    private static final byte M1 = 'S';

    public static byte[] encode(TokenSequence s) {
        byte[] stream = s.stream().getBytes(StandardCharsets.UTF_8);
        byte[] tokenizer = s.tokenizer().getBytes(StandardCharsets.UTF_8);
        if (stream.length > 255 || tokenizer.length > 255) {
            throw new IllegalArgumentException("stream id and tokenizer id must be at most 255 bytes");
        }
        int width = s.vocabSize() <= 65_536 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + stream.length + 8 + 1 + tokenizer.length + 4 + 4 + width * s.tokens().length);
        b.put(M0).put(M1).put(VERSION).put((byte) width);
        b.put((byte) stream.length).put(stream).putLong(s.sequence());
        b.put((byte) tokenizer.length).put(tokenizer).putInt(s.vocabSize());
        b.putInt(s.tokens().length);
        // tokens written straight into the array: a sequence is almost all tokens, and this runs for every one
        byte[] out = b.array();
        int p = b.position();
        int[] tokens = s.tokens();
        if (width == 2) {
            for (int t : tokens) {
                U16.set(out, p, (short) t);
                p += 2;
            }
        } else {
            for (int t : tokens) {
                I32.set(out, p, t);
                p += 4;
            }
        }
        return out;
    }

    /** @throws SerializationException naming what is wrong with the bytes */
    public static TokenSequence decode(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            if (b.get() != M0 || b.get() != M1) {
                throw new SerializationException("not a TokenSequence (bad magic)");
            }
            byte version = b.get();
            if (version != VERSION) {
                throw new SerializationException("TokenSequence version " + version + " is not supported (this cpt reads version " + VERSION + ")");
            }
            int width = b.get();
            if (width != 2 && width != 4) {
                throw new SerializationException("TokenSequence token width " + width + " is not 2 or 4");
            }
            String stream = string(b);
            long seq = b.getLong();
            String tokenizer = string(b);
            int vocab = b.getInt();
            int n = b.getInt();
            if (n < 0 || n * width != b.remaining()) {
                throw new SerializationException("TokenSequence says " + n + " tokens but carries " + b.remaining() + " bytes");
            }
            int[] tokens = new int[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = width == 2 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
            }
            return new TokenSequence(stream, seq, tokenizer, vocab, tokens);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("truncated or corrupt TokenSequence: " + e);
        }
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

    @Override
    public Serializer<TokenSequence> serializer() {
        return this;
    }

    @Override
    public Deserializer<TokenSequence> deserializer() {
        return this;
    }
}
