package dev.cpt.core.format;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormatsTest {

    @Property(tries = 300)
    void tokenSequenceSurvivesItsBinaryForm(@ForAll @Size(max = 600) List<@IntRange(min = 0, max = 70_000) Integer> tokens,
                                           @ForAll @LongRange(min = 0) long sequence,
                                           @ForAll boolean smallVocab, @ForAll boolean bytesMostly) {
        int vocab = smallVocab ? 65_536 : 200_000;
        // bytesMostly: the shape of byte-level text, where width 1 wins
        int[] t = tokens.stream().mapToInt(x -> bytesMostly && x % 7 != 0 ? x % 255 : smallVocab ? x % 65_536 : x).toArray();
        TokenSequence s = new TokenSequence("news.en", sequence, "byte-v1", vocab, t);

        byte[] compact = TokenSequenceSerde.encode(s);
        byte[] fixed = TokenSequenceSerde.encodeFixed(s);

        assertThat(TokenSequenceSerde.decode(compact)).isEqualTo(s);
        assertThat(TokenSequenceSerde.decode(fixed)).isEqualTo(s);
        assertThat(compact.length).isLessThanOrEqualTo(fixed.length);
        assertThat(fixed[2]).as("version").isEqualTo((byte) 1);
        assertThat(fixed[3]).as("token width").isEqualTo((byte) (smallVocab ? 2 : 4));
        assertThat(fixed).hasSize(TokenSequenceSerde.encodeFixed(new TokenSequence("news.en", 0, "byte-v1", vocab, new int[t.length])).length);
        if (compact[3] == 1) {
            assertThat(compact[2]).as("width 1 is version 2").isEqualTo((byte) 2);
        } else {
            assertThat(compact).as("otherwise version 1, as before").isEqualTo(fixed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'bytes and an EOS: width 1, escape for the EOS', '104,105,256',             1, 5",
            "'254 is a byte, 255 is escaped',                 '254,255,1',               1, 5",
            "'a tie goes to width 2',                         '254,255',                 2, 4",
            "'the largest u16 token, escaped',                '0,1,2,3,4,5,65535',       1, 9",
            "'mostly large tokens: width 2',                  '300,301,302,1',           2, 8",
            "'empty: width 2, as in version 1',               '',                        2, 0"})
    void shouldPickTheSmallestWidth(String why, String tokens, int width, int tokenBytes) {
        int[] t = tokens.isEmpty() ? new int[0] : java.util.Arrays.stream(tokens.split(",")).mapToInt(Integer::parseInt).toArray();
        TokenSequence s = new TokenSequence("s", 3, "byte-v1", 65_536, t);

        byte[] bytes = TokenSequenceSerde.encode(s);

        assertThat(bytes[3]).as(why).isEqualTo((byte) width);
        int header = 4 + 2 + 8 + 1 + "byte-v1".length() + 4 + 4;
        assertThat(bytes.length - header).as("bytes of tokens").isEqualTo(tokenBytes);
        assertThat(TokenSequenceSerde.decode(bytes)).isEqualTo(s);
    }

    @Test
    void shouldRefuseAnotherVersionOrTruncatedBytes() {
        byte[] bytes = TokenSequenceSerde.encode(new TokenSequence("s", 0, "byte-v1", 259, new int[]{1, 2, 3}));
        byte[] v4 = bytes.clone();
        v4[2] = 4;
        assertThatThrownBy(() -> TokenSequenceSerde.decode(v4)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 4 is not supported");
        assertThatThrownBy(() -> TokenSequenceSerde.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> TokenSequenceSerde.decode(new byte[]{'X', 'Y', 1, 2}))
                .hasMessageContaining("bad magic");
    }

    @Test
    void shouldRefuseWidthOneInVersionOne() {
        byte[] bytes = TokenSequenceSerde.encode(new TokenSequence("s", 0, "byte-v1", 259, new int[]{1, 2, 3}));
        assertThat(bytes[3]).isEqualTo((byte) 1);
        byte[] v1 = bytes.clone();
        v1[2] = 1;

        assertThatThrownBy(() -> TokenSequenceSerde.decode(v1)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 1 token width 1 is not 2 or 4");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'an escape with its token cut off',  '1,2,256', 1",
            "'a token missing',                   '1,2,3',   1",
            "'an escape byte missing its second', '1,2,256', 2"})
    void shouldRefuseWidthOneBytesThatEndEarly(String why, String tokens, int cut) {
        int[] t = java.util.Arrays.stream(tokens.split(",")).mapToInt(Integer::parseInt).toArray();
        byte[] bytes = TokenSequenceSerde.encode(new TokenSequence("s", 0, "byte-v1", 259, t));

        assertThatThrownBy(() -> TokenSequenceSerde.decode(java.util.Arrays.copyOf(bytes, bytes.length - cut))).as(why)
                .isInstanceOf(SerializationException.class).hasMessageContaining("TokenSequence");
    }

    @Test
    void shouldRefuseWidthOneBytesLeftOver() {
        byte[] bytes = TokenSequenceSerde.encode(new TokenSequence("s", 0, "byte-v1", 259, new int[]{1, 2, 3}));
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> TokenSequenceSerde.decode(longer)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("1 bytes more");
    }

    @Test
    void shouldWriteAndReadTelemetryAsJson() {
        TelemetryEvent e = new TelemetryEvent(1_700_000_000_000L, 120, 61_440, Map.of("news", 58_368L), 2.31, 1e-3, "stable",
                0.87, 12_000, 0.21, Map.of("data", 1.0, "forward", 50.0, "backward", 90.0, "optimizer", 10.0),
                Map.of("attn.qkv", new TelemetryEvent.GroupStats(12.5, 1e-3, 6.4e-6)), 0, false);
        var serde = Json.serde(TelemetryEvent.class);

        byte[] bytes = serde.serializer().serialize("t", e);

        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).contains("\"tokensPerStream\":{\"news\":58368}");
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(e);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", "{oops".getBytes()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("TelemetryEvent");
    }
}
