package dev.cpt.ingest.tokenize;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level tokenizer: token {@code b} for each UTF-8 byte {@code b} (0..255), then the specials
 * EOS = 256, BOS = 257, PAD = 258. Needs no vocabulary file and loses nothing: any text
 * round-trips through {@link #decode}.
 */
public final class ByteTokenizer implements Tokenizer {

    public static final String ID = "byte-v1";
    public static final int EOS = 256;
    public static final int BOS = 257;
    public static final int PAD = 258;
    public static final int VOCAB_SIZE = 259;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public int eos() {
        return EOS;
    }

    @Override
    public int[] encode(String text) {
        return encode(text, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int[] encode(String text, byte[] bytes) {
        int[] tokens = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            tokens[i] = bytes[i] & 0xff;
        }
        return tokens;
    }

    @Override
    public boolean byteLevel() {
        return true;
    }

    /** The text of byte tokens; special tokens are skipped. */
    public static String decode(int[] tokens) {
        byte[] bytes = new byte[tokens.length];
        int n = 0;
        for (int t : tokens) {
            if (t < 256) {
                bytes[n++] = (byte) t;
            }
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
