package dev.cpt.ingest.validate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the shape nearly every document on {@code cpt.docs} has, a flat JSON object whose members
 * are all strings ({@code {"id": "...", "stream": "...", "text": "..."}}), straight from its UTF-8
 * bytes: the text comes out as UTF-8 bytes without a parser's char buffer, a String and an encoding
 * back. The text is most of every record, and Jackson's tree plus the round trip were a tenth of
 * the ingest's stream thread in {@code cpt bench ingest}.
 *
 * <p>It reads a strict subset of JSON and gives up ({@code null}) on anything else: a member that is
 * not a string (null, a number, an object such as {@code meta}), an escaped key, a repeated
 * {@code id}/{@code stream}/{@code text}, an unpaired surrogate escape, a control character, trailing
 * content, a byte-order mark. The caller then parses with Jackson, so that every rule and every
 * rejection message stays in one place; on what this accepts, Jackson reads the same strings (a
 * property test holds the two to that).
 */
final class FlatJson {

    /** The three members the ingest reads; a missing one is null. {@code text} is UTF-8. */
    record Fields(String id, String stream, byte[] text) {
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;
    private static final byte[] ID = {'i', 'd'};
    private static final byte[] STREAM = {'s', 't', 'r', 'e', 'a', 'm'};
    private static final byte[] TEXT = {'t', 'e', 'x', 't'};
    private static final byte[] META = {'m', 'e', 't', 'a'};

    private final byte[] b;
    private int i;

    private FlatJson(byte[] b) {
        this.b = b;
    }

    /**
     * @param json valid UTF-8 (the caller checked it)
     * @return the members, or null when {@code json} is not of the flat shape (then ask Jackson)
     */
    static Fields read(byte[] json) {
        return new FlatJson(json).object();
    }

    private Fields object() {
        space();
        if (!take('{')) {
            return null;
        }
        String id = null;
        String stream = null;
        byte[] text = null;
        space();
        if (!take('}')) {
            while (true) {
                int keyStart = i;
                int keyEnd = rawKey();
                if (keyEnd < 0) {
                    return null;
                }
                space();
                if (!take(':')) {
                    return null;
                }
                space();
                if (!take('"')) {
                    return null; // not a string: null, number, object (meta), array, true/false
                }
                byte[] value = string();
                if (value == null) {
                    return null;
                }
                if (is(keyStart, keyEnd, META)) {
                    return null; // Jackson's to check: a string there is an error
                } else if (is(keyStart, keyEnd, TEXT)) {
                    if (text != null) {
                        return null;
                    }
                    text = value;
                } else if (is(keyStart, keyEnd, ID)) {
                    if (id != null) {
                        return null;
                    }
                    id = new String(value, StandardCharsets.UTF_8);
                } else if (is(keyStart, keyEnd, STREAM)) {
                    if (stream != null) {
                        return null;
                    }
                    stream = new String(value, StandardCharsets.UTF_8);
                }
                space();
                if (take('}')) {
                    break;
                }
                if (!take(',')) {
                    return null;
                }
                space();
            }
        }
        space();
        return i == b.length ? new Fields(id, stream, text) : null;
    }

    /** A key without escapes, at its opening quote: returns the offset of its closing quote (the key is before it), or -1. */
    private int rawKey() {
        if (!take('"')) {
            return -1;
        }
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c == '"') {
                return i++;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    private boolean is(int keyStartQuote, int keyEnd, byte[] name) {
        int start = keyStartQuote + 1;
        return keyEnd - start == name.length && Arrays.equals(b, start, keyEnd, name, 0, name.length);
    }

    /** The string's UTF-8 bytes, after its opening quote; null when it is not strictly JSON or holds an unpaired surrogate escape. */
    private byte[] string() {
        int start = i;
        int end = plainRun(start);
        if (end < 0) {
            return null;
        }
        if (b[end] == '"') { // no escape: the bytes are the value
            i = end + 1;
            return Arrays.copyOfRange(b, start, end);
        }
        return escaped(start, end);
    }

    /**
     * The offset of the first quote, backslash or control character from {@code from}, or -1 at the
     * end of the input. Eight bytes at a time: the text of a document is long, and has few of them.
     */
    private int plainRun(int from) {
        int j = from;
        int n = b.length;
        for (; j + 8 <= n; j += 8) {
            long w = (long) LONG.get(b, j);
            if ((zeroByte(w ^ (ONES * '"')) | zeroByte(w ^ (ONES * '\\')) | below20(w)) != 0) {
                break;
            }
        }
        for (; j < n; j++) {
            int c = b[j] & 0xff;
            if (c == '"' || c == '\\' || c < 0x20) {
                return j;
            }
        }
        return -1;
    }

    /** Nonzero when a byte of {@code w} is 0 (exact as a test for "any"). */
    private static long zeroByte(long w) {
        return (w - ONES) & ~w & HIGH;
    }

    /** Nonzero when a byte of {@code w} is below 0x20 (bytes from 0x80 up never count). */
    private static long below20(long w) {
        return (w - ONES * 0x20) & ~w & HIGH;
    }

    /** The rest of a string that has escapes; {@code stop} is the first special byte after {@code start}. */
    private byte[] escaped(int start, int stop) {
        byte[] out = new byte[b.length - start];
        int o = stop - start;
        System.arraycopy(b, start, out, 0, o);
        int j = stop;
        while (true) {
            int c = b[j] & 0xff;
            if (c == '"') {
                i = j + 1;
                return Arrays.copyOf(out, o);
            }
            if (c < 0x20 || j + 1 >= b.length) {
                return null;
            }
            int e = b[j + 1];
            j += 2;
            switch (e) {
                case '"', '\\', '/' -> out[o++] = (byte) e;
                case 'b' -> out[o++] = '\b';
                case 'f' -> out[o++] = '\f';
                case 'n' -> out[o++] = '\n';
                case 'r' -> out[o++] = '\r';
                case 't' -> out[o++] = '\t';
                case 'u' -> {
                    int cp = hex4(j);
                    if (cp < 0) {
                        return null;
                    }
                    j += 4;
                    if (Character.isHighSurrogate((char) cp)) {
                        int low = j + 6 <= b.length && b[j] == '\\' && b[j + 1] == 'u' ? hex4(j + 2) : -1;
                        if (low < 0 || !Character.isLowSurrogate((char) low)) {
                            return null;
                        }
                        cp = Character.toCodePoint((char) cp, (char) low);
                        j += 6;
                    } else if (Character.isLowSurrogate((char) cp)) {
                        return null;
                    }
                    o = putUtf8(out, o, cp);
                }
                default -> {
                    return null;
                }
            }
            int next = plainRun(j);
            if (next < 0) {
                return null;
            }
            System.arraycopy(b, j, out, o, next - j);
            o += next - j;
            j = next;
        }
    }

    private int hex4(int at) {
        if (at + 4 > b.length) {
            return -1;
        }
        int v = 0;
        for (int k = at; k < at + 4; k++) {
            int d = Character.digit(b[k], 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** An escape of up to 6 bytes never encodes to more than 4: {@code out} (as long as the input) always has room. */
    private static int putUtf8(byte[] out, int o, int cp) {
        if (cp < 0x80) {
            out[o++] = (byte) cp;
        } else if (cp < 0x800) {
            out[o++] = (byte) (0xc0 | cp >> 6);
            out[o++] = (byte) (0x80 | cp & 0x3f);
        } else if (cp < 0x10000) {
            out[o++] = (byte) (0xe0 | cp >> 12);
            out[o++] = (byte) (0x80 | cp >> 6 & 0x3f);
            out[o++] = (byte) (0x80 | cp & 0x3f);
        } else {
            out[o++] = (byte) (0xf0 | cp >> 18);
            out[o++] = (byte) (0x80 | cp >> 12 & 0x3f);
            out[o++] = (byte) (0x80 | cp >> 6 & 0x3f);
            out[o++] = (byte) (0x80 | cp & 0x3f);
        }
        return o;
    }

    private void space() {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
    }

    private boolean take(char c) {
        if (i < b.length && b[i] == c) {
            i++;
            return true;
        }
        return false;
    }
}
