package dev.cpt.ingest.text;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'', -1",
            "41, -1",
            "c3a9, -1",                // é
            "e282ac, -1",              // €
            "f09f9880, -1",            // U+1F600
            "f48fbfbf, -1",            // U+10FFFF, the last code point
            "80, 0",                   // a continuation byte alone
            "41c328, 1",               // a continuation that is not one
            "c0af, 0",                 // overlong '/'
            "c1bf, 0",                 // overlong
            "e08080, 0",               // overlong 3-byte
            "eda080, 0",               // surrogate U+D800
            "edbfbf, 0",               // surrogate U+DFFF
            "ed9fbf, -1",              // U+D7FF, just below the surrogates
            "f08f8080, 0",             // overlong 4-byte
            "f4908080, 0",             // above U+10FFFF
            "f5808080, 0",             // lead byte beyond the range
            "ff, 0",
            "4142e282, 2",             // truncated at the end
            "f09f98, 0",               // truncated 4-byte
    })
    void shouldFindTheFirstMalformedSequence(String hex, int expected) {
        assertThat(Utf8.firstInvalid(HexFormat.of().parseHex(hex))).isEqualTo(expected);
    }

    /** Valid exactly when the JDK's strict decoder accepts the bytes: the rule the dead-letter reason promises. */
    @Property(tries = 5000)
    void shouldAgreeWithTheStrictDecoder(@ForAll("bytes") byte[] bytes) {
        assertThat(Utf8.firstInvalid(bytes) < 0).isEqualTo(strictlyDecodes(bytes));
    }

    /** Long ASCII runs take the eight-bytes-at-once path; what follows them must still be checked byte by byte. */
    @Property(tries = 3000)
    void shouldAgreeWithTheStrictDecoderOnMostlyAscii(@ForAll("mostlyAscii") byte[] bytes) {
        assertThat(Utf8.firstInvalid(bytes) < 0).isEqualTo(strictlyDecodes(bytes));
    }

    @Property(tries = 500)
    void shouldFindTheBadByteAfterAnyAsciiRun(@ForAll @net.jqwik.api.constraints.IntRange(max = 40) int ascii,
                                              @ForAll @net.jqwik.api.constraints.IntRange(max = 20) int after) {
        byte[] b = new byte[ascii + 1 + after];
        java.util.Arrays.fill(b, (byte) 'a');
        b[ascii] = (byte) 0xff;

        assertThat(Utf8.firstInvalid(b)).isEqualTo(ascii);
    }

    @Provide
    Arbitrary<byte[]> mostlyAscii() {
        return mixed(30, 2, 2, 48);
    }

    @Property(tries = 500)
    void shouldAcceptEveryEncodedString(@ForAll String text) {
        assertThat(Utf8.firstInvalid(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        // bytes drawn mostly from the interesting ranges: ASCII, continuations, and every kind of lead byte
        return mixed(3, 4, 3, 12);
    }

    /** Arrays of up to {@code maxSize} bytes: ASCII, continuation bytes and lead bytes (C0..FF) in the given proportions. */
    private static Arbitrary<byte[]> mixed(int ascii, int continuations, int leads, int maxSize) {
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(ascii, Arbitraries.bytes().between((byte) 0x00, (byte) 0x7f)),
                net.jqwik.api.Tuple.of(continuations, Arbitraries.integers().between(0x80, 0xbf).map(Integer::byteValue)),
                net.jqwik.api.Tuple.of(leads, Arbitraries.integers().between(0xc0, 0xff).map(Integer::byteValue)));
        return b.array(byte[].class).ofMaxSize(maxSize);
    }

    private static boolean strictlyDecodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Property(tries = 3000)
    void blankBytesAreBlankText(@ForAll @net.jqwik.api.constraints.StringLength(max = 12)
                                @net.jqwik.api.constraints.Chars({' ', '\t', '\n', '\u000B', '\u001C', '\u0085', '\u00A0', '\u1680',
                                        '\u2003', '\u2007', '\u2028', '\u3000', 'a', '\u00E9', '\uD83D', '\uDE00'}) String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.isBlank(utf8)).isEqualTo(new String(utf8, StandardCharsets.UTF_8).isBlank());
    }
}
