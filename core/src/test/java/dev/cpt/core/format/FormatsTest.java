package dev.cpt.core.format;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormatsTest {

    @Property(tries = 300)
    void tokenSequenceSurvivesItsBinaryForm(@ForAll @Size(max = 600) List<@IntRange(min = 0, max = 70_000) Integer> tokens,
                                           @ForAll @LongRange(min = 0) long sequence,
                                           @ForAll boolean smallVocab) {
        int vocab = smallVocab ? 65_536 : 200_000;
        int[] t = tokens.stream().mapToInt(x -> smallVocab ? x % 65_536 : x).toArray();
        TokenSequence s = new TokenSequence("news.en", sequence, "byte-v1", vocab, t);

        byte[] bytes = TokenSequenceSerde.encode(s);

        assertThat(TokenSequenceSerde.decode(bytes)).isEqualTo(s);
        assertThat(bytes[3]).as("token width").isEqualTo((byte) (smallVocab ? 2 : 4));
    }

    @Test
    void shouldRefuseAnotherVersionOrTruncatedBytes() {
        byte[] bytes = TokenSequenceSerde.encode(new TokenSequence("s", 0, "byte-v1", 259, new int[]{1, 2, 3}));
        byte[] v2 = bytes.clone();
        v2[2] = 2;
        assertThatThrownBy(() -> TokenSequenceSerde.decode(v2)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 2 is not supported");
        assertThatThrownBy(() -> TokenSequenceSerde.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> TokenSequenceSerde.decode(new byte[]{'X', 'Y', 1, 2}))
                .hasMessageContaining("bad magic");
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
