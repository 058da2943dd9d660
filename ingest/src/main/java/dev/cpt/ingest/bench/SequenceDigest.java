package dev.cpt.ingest.bench;

import java.util.zip.CRC32C;

/**
 * A token stream cut into sequences of {@code length} tokens, summed up as the number of whole
 * sequences, a CRC32C over their tokens (each as a big-endian i32) and the tokens left over. Fed
 * with the documents' tokens (each followed by EOS) on one side and with the packed sequences read
 * back on the other, two digests are equal exactly when the sequences hold the documents' tokens.
 */
final class SequenceDigest {

    private final int length;
    private final byte[] buffer;
    private final CRC32C crc = new CRC32C();
    private int fill;
    private long tokens;
    private long sequences;

    SequenceDigest(int length) {
        this.length = length;
        this.buffer = new byte[length * 4];
    }

    void add(int[] tokens) {
        for (int t : tokens) {
            add(t);
        }
    }

    void add(int token) {
        int o = fill * 4;
        buffer[o] = (byte) (token >>> 24);
        buffer[o + 1] = (byte) (token >>> 16);
        buffer[o + 2] = (byte) (token >>> 8);
        buffer[o + 3] = (byte) token;
        tokens++;
        if (++fill == length) {
            crc.update(buffer, 0, buffer.length);
            sequences++;
            fill = 0;
        }
    }

    /** Tokens seen, whole sequences and left-over ones together. */
    long tokens() {
        return tokens;
    }

    long sequences() {
        return sequences;
    }

    /** Tokens after the last whole sequence: what the ingest keeps in its pack state. */
    int remainder() {
        return fill;
    }

    /** CRC32C over the tokens of the whole sequences. */
    long crc() {
        return crc.getValue();
    }
}
