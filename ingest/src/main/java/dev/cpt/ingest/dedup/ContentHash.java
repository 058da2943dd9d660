package dev.cpt.ingest.dedup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;

/**
 * Content hashes of documents. Duplicates are found on the normalized text (Unicode NFC, runs of
 * whitespace collapsed to one space, trimmed), so that re-encoded or re-wrapped copies of the same
 * text count as the same document.
 */
public final class ContentHash {

    private ContentHash() {
    }

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

    /** UTF-8 length of {@code text} without encoding it (unpaired surrogates count as the '?' the encoder writes). */
    public static long utf8Length(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Exactly the characters of the regex class {@code \s}: space, \t, \n, \u000B, \f, \r. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** 16 bytes of SHA-256 over the stream id and the normalized text: the dedup key. */
    public static byte[] dedupKey(String stream, String text) {
        MessageDigest sha = sha256();
        sha.update(stream.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(normalize(text).getBytes(StandardCharsets.UTF_8));
        byte[] full = sha.digest();
        return java.util.Arrays.copyOf(full, 16);
    }

    /** The id of a document sent without one: {@code sha256:} and 32 hex digits of its normalized text's hash. */
    public static String derivedId(String text) {
        byte[] full = sha256().digest(normalize(text).getBytes(StandardCharsets.UTF_8));
        return "sha256:" + HexFormat.of().formatHex(full, 0, 16);
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
