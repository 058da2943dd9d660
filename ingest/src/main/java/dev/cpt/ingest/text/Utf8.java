package dev.cpt.ingest.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation without decoding (Unicode 15, table 3-7: no overlong forms, no
 * surrogates, nothing above U+10FFFF, no truncated sequence): exactly what a strict
 * {@code CharsetDecoder} accepts, at a fraction of its cost, since the ingest then parses the bytes
 * themselves instead of a decoded copy.
 */
public final class Utf8 {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /** The offset of the first byte of the first malformed sequence, or -1 when all of {@code b} is valid UTF-8. */
    public static int firstInvalid(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            // eight ASCII bytes at a time: most text is mostly ASCII
            while (i + 8 <= n && ((long) LONG.get(b, i) & HIGH_BITS) == 0) {
                i += 8;
            }
            if (i >= n) {
                break;
            }
            int c = b[i];
            if (c >= 0) { // ASCII: by far the most common case
                i++;
                continue;
            }
            c &= 0xff;
            if (c < 0xc2 || c > 0xf4) {
                return i; // continuation byte as a lead, overlong 2-byte lead (C0, C1), or F5..FF
            }
            if (c < 0xe0) {
                if (i + 1 >= n || !cont(b[i + 1])) {
                    return i;
                }
                i += 2;
            } else if (c < 0xf0) {
                if (i + 2 >= n) {
                    return i;
                }
                int c1 = b[i + 1] & 0xff;
                int lo = c == 0xe0 ? 0xa0 : 0x80; // E0 80..9F would be overlong
                int hi = c == 0xed ? 0x9f : 0xbf; // ED A0..BF would be a surrogate
                if (c1 < lo || c1 > hi || !cont(b[i + 2])) {
                    return i;
                }
                i += 3;
            } else {
                if (i + 3 >= n) {
                    return i;
                }
                int c1 = b[i + 1] & 0xff;
                int lo = c == 0xf0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                int hi = c == 0xf4 ? 0x8f : 0xbf; // F4 90.. would be above U+10FFFF
                if (c1 < lo || c1 > hi || !cont(b[i + 2]) || !cont(b[i + 3])) {
                    return i;
                }
                i += 4;
            }
        }
        return -1;
    }

    /** Bytes in the sequence that {@code lead} starts (1 for ASCII); for well-formed input. */
    public static int sequenceLength(byte lead) {
        int c = lead & 0xff;
        return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    }

    /** The code point of the well-formed sequence at {@code at}. */
    public static int codePointAt(byte[] b, int at) {
        return switch (sequenceLength(b[at])) {
            case 1 -> b[at];
            case 2 -> (b[at] & 0x1f) << 6 | (b[at + 1] & 0x3f);
            case 3 -> (b[at] & 0x0f) << 12 | (b[at + 1] & 0x3f) << 6 | (b[at + 2] & 0x3f);
            default -> (b[at] & 0x07) << 18 | (b[at + 1] & 0x3f) << 12 | (b[at + 2] & 0x3f) << 6 | (b[at + 3] & 0x3f);
        };
    }

    /** {@code new String(b, UTF_8).isBlank()} for well-formed input, without decoding it: every code point is whitespace. */
    public static boolean isBlank(byte[] b) {
        for (int i = 0; i < b.length; i += sequenceLength(b[i])) {
            if (!Character.isWhitespace(codePointAt(b, i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean cont(byte b) {
        return (b & 0xc0) == 0x80;
    }
}
