package dev.cpt.ingest.dedup;

import dev.cpt.ingest.text.Utf8;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Content hashes of documents. Duplicates are found on the normalized text (Unicode NFC, runs of
 * whitespace collapsed to one space, trimmed), so that re-encoded or re-wrapped copies of the same
 * text count as the same document.
 */
public final class ContentHash {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH = 0x8080808080808080L;
    private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
    /** Bytes of normalized text handed to the digests at a time: small enough to stay in the L1 cache. */
    private static final int CHUNK = 8192;

    /** 1 for the bytes of the regex class {@code \s}, 0 for every other byte. */
    private static final byte[] SPACE = new byte[256];

    static {
        for (char c : new char[]{' ', '\t', '\n', '\u000B', '\f', '\r'}) {
            SPACE[c] = 1;
        }
    }

    private ContentHash() {
    }

    /**
     * The normalization, as a definition: the hashes use {@link #normalizedUtf8}, which must give
     * this string's UTF-8 bytes.
     */
    public static String normalize(String text) {
        String nfc = alreadyNfc(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
        // one pass instead of a regex replaceAll: this runs on every document, at several times the speed
        StringBuilder b = new StringBuilder(nfc.length());
        boolean inSpace = false;
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            if (isRegexSpace(c)) {
                if (!inSpace) {
                    b.append(' ');
                    inSpace = true;
                }
            } else {
                b.append(c);
                inSpace = false;
            }
        }
        return b.toString().strip();
    }

    /**
     * Every code point below U+0300 has NFC_Quick_Check=Yes, so text made only of them is NFC: a
     * cheap scan spares most documents the normalizer's slower check.
     */
    private static boolean alreadyNfc(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= '\u0300') {
                return Normalizer.isNormalized(text, Normalizer.Form.NFC);
            }
        }
        return true;
    }

    /** Exactly the characters of the regex class {@code \s}: space, \t, \n, \u000B, \f, \r. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** 16 bytes of SHA-256 over the stream id and the normalized text: the dedup key. */
    public static byte[] dedupKey(String stream, String text) {
        return dedupKey(stream, text, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #dedupKey(String, String)} when the caller already has {@code text}'s UTF-8 bytes. */
    public static byte[] dedupKey(String stream, String text, byte[] utf8) {
        MessageDigest dedup = dedupDigest(stream);
        hashNormalized(text, utf8, dedup, null);
        return Arrays.copyOf(dedup.digest(), 16);
    }

    /**
     * A document's hashes from one normalization of its text.
     *
     * @param dedupKey  {@link #dedupKey(String, String)}
     * @param derivedId {@link #derivedId(String)}, or null when it was not asked for
     */
    public record Keys(byte[] dedupKey, String derivedId) {
    }

    /**
     * {@link #dedupKey(String, String, byte[])} and, when {@code deriveId}, {@link #derivedId(String, byte[])}: a
     * document without an id needs both, and normalizes its text once. Works on the UTF-8 bytes alone: the text is
     * decoded only for the rare one that may not be in NFC.
     */
    public static Keys keys(String stream, byte[] utf8, boolean deriveId) {
        MessageDigest dedup = dedupDigest(stream);
        MessageDigest id = deriveId ? sha256() : null;
        hashNormalized(null, utf8, dedup, id);
        return new Keys(Arrays.copyOf(dedup.digest(), 16), id == null ? null : hexId(id.digest()));
    }

    /** SHA-256 with the stream id and its separator already in: the normalized text comes next. */
    private static MessageDigest dedupDigest(String stream) {
        MessageDigest sha = sha256();
        sha.update(stream.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        return sha;
    }

    /**
     * Hands the normalized text to {@code a} and, when not null, {@code b}, a piece at a time from a
     * buffer that stays in the cache: no copy of the whole text is made (but for the rare text that is
     * not in NFC).
     */
    private static void hashNormalized(String text, byte[] utf8, MessageDigest a, MessageDigest b) {
        normalizeBytes(text, utf8, (chunk, n) -> {
            a.update(chunk, 0, n);
            if (b != null) {
                b.update(chunk, 0, n);
            }
        });
    }

    /** The id of a document sent without one: {@code sha256:} and 32 hex digits of its normalized text's hash. */
    public static String derivedId(String text) {
        return derivedId(text, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #derivedId(String)} when the caller already has {@code text}'s UTF-8 bytes. */
    public static String derivedId(String text, byte[] utf8) {
        MessageDigest id = sha256();
        hashNormalized(text, utf8, id, null);
        return hexId(id.digest());
    }

    private static String hexId(byte[] sha256) {
        return "sha256:" + HexFormat.of().formatHex(sha256, 0, 16);
    }

    /**
     * {@code normalize(text).getBytes(UTF_8)}, computed on the UTF-8 bytes: every character that
     * {@code \s} collapses is ASCII, and no byte of a multi-byte sequence is, so whitespace runs can be
     * found byte by byte; only the two ends, which {@link String#strip()} trims of any Unicode
     * whitespace, need decoding. The hashes take these same bytes in pieces instead of this array,
     * which is the definition the tests hold the byte path to.
     *
     * @param text the text, or null to decode it from {@code utf8} if the normalization needs it
     * @param utf8 {@code text.getBytes(UTF_8)}
     */
    static byte[] normalizedUtf8(String text, byte[] utf8) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length);
        normalizeBytes(text, utf8, (chunk, n) -> out.write(chunk, 0, n));
        return out.toByteArray();
    }

    /** Where {@link #normalizeBytes} puts the normalized text: {@code chunk[0, n)} is the next piece. */
    @FunctionalInterface
    private interface Sink {
        void accept(byte[] chunk, int n);
    }

    /**
     * Sends {@code normalize(text).getBytes(UTF_8)} to {@code sink} in pieces of at least {@link #CHUNK}
     * bytes (the last may be shorter), all written in one buffer.
     *
     * @param text the text, or null to decode it from {@code utf8} if the normalization needs it
     */
    private static void normalizeBytes(String text, byte[] utf8, Sink sink) {
        byte[] b = utf8;
        if (mayNeedNfc(b)) {
            String t = text != null ? text : new String(utf8, StandardCharsets.UTF_8); // rare: only text with U+0300 and up
            if (!Normalizer.isNormalized(t, Normalizer.Form.NFC)) {
                b = Normalizer.normalize(t, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8);
            }
        }
        int start = 0;
        int end = b.length;
        while (start < end) {
            if (!Character.isWhitespace(Utf8.codePointAt(b, start))) {
                break;
            }
            start += Utf8.sequenceLength(b[start]);
        }
        while (end > start) {
            int from = end - 1;
            while (from > start && (b[from] & 0xc0) == 0x80) {
                from--;
            }
            if (!Character.isWhitespace(Utf8.codePointAt(b, from))) {
                break;
            }
            end = from;
        }
        // 8 more than a piece for the 8-byte writes; a shorter text needs no more than its length, since
        // the output never runs ahead of the input
        byte[] out = new byte[Math.min(CHUNK, end - start) + 8];
        int o = 0;
        int inSpace = 0;
        int i = start;
        while (i < end) {
            if (o >= CHUNK) {
                sink.accept(out, o);
                o = 0;
            }
            if (i + 8 <= end) {
                // Eight bytes at once when normalizing leaves them as they are: every byte below 0x21
                // is a space, no two spaces touch, and none follows the space before. Prose is mostly
                // that, words and single spaces; a newline or a double space takes the byte path.
                long w = (long) LONG.get(b, i);
                long below21 = ~((w & LOW7) + 0x5f5f5f5f5f5f5f5fL) & ~w & HIGH;
                long y = w ^ 0x2020202020202020L;
                long spaces = ~(((y & LOW7) + LOW7) | y) & HIGH;
                if (below21 == spaces && (spaces & (spaces << 8)) == 0 && (inSpace & (int) (spaces >>> 7)) == 0) {
                    LONG.set(out, o, w);
                    o += 8;
                    i += 8;
                    inSpace = (int) (spaces >>> 63);
                    continue;
                }
            }
            // branch-free (a table and arithmetic, no conditionals): in prose a space comes every few
            // bytes, and a mispredicted branch per word costs more than the rest of the loop
            int c = b[i];
            int space = SPACE[c & 0xff];
            out[o] = (byte) (c + ((' ' - c) & -space));
            o += 1 - (space & inSpace);
            inSpace = space;
            i++;
        }
        sink.accept(out, o);
    }

    /** Whether a character at or above U+0300 occurs (a lead byte from 0xCC up): only those can make text not NFC. */
    private static boolean mayNeedNfc(byte[] b) {
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            if (((long) LONG.get(b, i) & HIGH) != 0 && anyFromCC(b, i, i + 8)) { // ASCII words skipped whole
                return true;
            }
        }
        return anyFromCC(b, i, b.length);
    }

    private static boolean anyFromCC(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((b[i] & 0xff) >= 0xcc) {
                return true;
            }
        }
        return false;
    }

    /**
     * A number in [0, 1) from the document id, the same on every run and machine: the held-out split
     * sends a document to held-out when this is below the fraction.
     */
    public static double unitInterval(String id) {
        byte[] h = sha256().digest(id.getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < 7; i++) { // 56 bits: exactly representable in a double
            bits = (bits << 8) | (h[i] & 0xff);
        }
        return bits / (double) (1L << 56);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
