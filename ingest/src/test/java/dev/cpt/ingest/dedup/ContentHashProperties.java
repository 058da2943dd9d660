package dev.cpt.ingest.dedup;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

class ContentHashProperties {

    /** The single-pass normalization must say exactly what the obvious regex says. */
    @Property(tries = 2000)
    void normalizeEqualsTheRegexDefinition(@ForAll @StringLength(max = 80)
                                           @Chars({' ', '\t', '\n', '\u000B', '\f', '\r', '\u00A0', '\u2003', 'a', 'é'})
                                           @CharRange(from = 'x', to = 'z') String text) {
        String nfc = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC);
        assertThat(ContentHash.normalize(text)).isEqualTo(nfc.replaceAll("\\s+", " ").strip());
    }

    /** The byte-level normalization the hashes use must give exactly the bytes of the string definition. */
    @Property(tries = 3000)
    void normalizedBytesAreTheBytesOfTheNormalizedString(@ForAll @StringLength(max = 40)
                                                         @Chars({' ', '\t', '\n', '\u000B', '\f', '\r', '\u001C', '\u001F', '\u0085',
                                                                 '\u00A0', '\u1680', '\u2003', '\u2007', '\u2028', '\u205F', '\u3000',
                                                                 'a', 'e', 'A', '\u0301', '\u0308', '\u00E9', '\u212B', '\u1100', '\u1161',
                                                                 '\uD83D', '\uDE00', '\uFFFD'})
                                                         @CharRange(from = 'x', to = 'z') String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertThat(ContentHash.normalizedUtf8(text, utf8)).isEqualTo(ContentHash.normalize(text).getBytes(StandardCharsets.UTF_8));
    }

    /** Validation hashes the bytes alone (no decoded text at hand): the same result, NFC included. */
    @Property(tries = 3000)
    void normalizedBytesWithoutTheTextAreTheSame(@ForAll @StringLength(max = 40)
                                                 @Chars({' ', '\t', '\n', '\u00A0', '\u2003', '\u3000', 'a', 'e', 'A', '\u0301',
                                                         '\u0308', '\u00E9', '\u212B', '\u1100', '\u1161', '\uFFFD'})
                                                 @CharRange(from = 'x', to = 'z') String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertThat(ContentHash.normalizedUtf8(null, utf8)).isEqualTo(ContentHash.normalizedUtf8(text, utf8))
                .isEqualTo(ContentHash.normalize(text).getBytes(StandardCharsets.UTF_8));
        assertThat(ContentHash.keys("s", utf8, true).dedupKey()).isEqualTo(ContentHash.dedupKey("s", text));
        assertThat(ContentHash.keys("s", utf8, true).derivedId()).isEqualTo(ContentHash.derivedId(text));
    }

    /**
     * Long enough for the eight-bytes-at-once path, with spaces, runs and other whitespace at every
     * offset of a word, and bytes just below and above 0x20 and 0x80.
     */
    @Property(tries = 3000)
    void normalizedBytesOfWordsAndSpaces(@ForAll @StringLength(max = 120)
                                         @Chars({' ', ' ', ' ', '\n', '\t', '\r', '\u001F', '!', '\u007F', '\u0080', '\u00E9', 'a', 'b', '\u0301'})
                                         @CharRange(from = 'c', to = 'k') String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertThat(ContentHash.normalizedUtf8(text, utf8)).isEqualTo(ContentHash.normalize(text).getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 1000)
    void normalizedBytesOfAnyString(@ForAll @StringLength(max = 30) String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertThat(ContentHash.normalizedUtf8(text, utf8)).isEqualTo(ContentHash.normalize(text).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Texts of several of the 8 KiB pieces in which {@link ContentHash#keys} hands the normalized text to SHA-256,
     * whitespace runs falling across piece boundaries: the hashes of the string definition, computed here from scratch.
     */
    @Property(tries = 150)
    void keysOfLongTextsHashTheNormalizedStringInOnePiece(@ForAll @StringLength(min = 8_000, max = 40_000)
                                                           @Chars({' ', ' ', ' ', '\n', '\t', '\u00E9', '\u0301', 'a'})
                                                           @CharRange(from = 'b', to = 'k') String text) throws Exception {
        byte[] normalized = ContentHash.normalize(text).getBytes(StandardCharsets.UTF_8);
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update("stream-1".getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        byte[] dedup = java.util.Arrays.copyOf(sha.digest(normalized), 16);
        String id = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(normalized), 0, 16);

        ContentHash.Keys keys = ContentHash.keys("stream-1", text.getBytes(StandardCharsets.UTF_8), true);

        assertThat(keys.dedupKey()).isEqualTo(dedup);
        assertThat(keys.derivedId()).isEqualTo(id);
        assertThat(ContentHash.keys("stream-1", text.getBytes(StandardCharsets.UTF_8), false).derivedId()).isNull();
    }
}
