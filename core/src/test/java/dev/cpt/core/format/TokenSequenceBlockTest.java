package dev.cpt.core.format;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Version 3 records: blocks of consecutive sequences (docs/formats.md). */
class TokenSequenceBlockTest {

    private static List<TokenSequence> run(long first, int count, int length, int vocab, int maxToken, long seed) {
        Random r = new Random(seed);
        List<TokenSequence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] t = new int[length];
            for (int j = 0; j < length; j++) {
                t[j] = r.nextInt(maxToken + 1);
            }
            out.add(new TokenSequence("news.en", first + i, "byte-v1", vocab, t));
        }
        return out;
    }

    @Property(tries = 300)
    void shouldReadBackEveryBlockInOrder(@ForAll @LongRange(min = 0, max = 1L << 40) long first, @ForAll @IntRange(min = 1, max = 20) int count,
                                         @ForAll @IntRange(max = 40) int length, @ForAll @IntRange(min = 1, max = 70_000) int maxToken,
                                         @ForAll long seed) {
        int vocab = Math.max(259, maxToken + 1);
        List<TokenSequence> block = run(first, count, length, vocab, maxToken, seed);

        byte[] bytes = TokenSequenceSerde.encodeBlock(block);

        assertThat(TokenSequenceSerde.decodeAll(bytes)).isEqualTo(block);
        assertThat(TokenSequenceSerde.blocks().deserialize("t", bytes)).isEqualTo(block);
        if (count == 1) {
            assertThat(bytes).as("a block of one is the plain record").isEqualTo(TokenSequenceSerde.encode(block.get(0)));
        } else {
            assertThat(bytes[2]).as("version").isEqualTo((byte) 3);
        }
    }

    @ParameterizedTest(name = "{0} tokens up to {1} in a vocabulary of {2} -> width {3}")
    @CsvSource({
            "byte text,         254,   259,     1",
            "many escapes,      65535, 65536,   2",
            "large vocabulary,  70000, 100000,  4"})
    void shouldWriteBlocksInTheSmallestWidth(String what, int maxToken, int vocab, int width) {
        List<TokenSequence> block = run(5, 3, 10, vocab, maxToken, 1);

        byte[] bytes = TokenSequenceSerde.encodeBlock(block);

        assertThat(bytes[3]).as(what).isEqualTo((byte) width);
        assertThat(TokenSequenceSerde.decodeAll(bytes)).isEqualTo(block);
    }

    @ParameterizedTest(name = "tokens up to {0}")
    @CsvSource({"300", "65535"}) // few escapes: width 1; mostly escapes: the writer falls back to width 2
    void shouldWriteWithTheWriterWhatEncodeBlockWrites(int maxToken) {
        List<TokenSequence> block = run(9, 4, 7, 65_536, maxToken, 3);
        TokenSequenceWriter w = new TokenSequenceWriter("news.en", "byte-v1", 65_536).begin(9);
        for (TokenSequence s : block) {
            w.tokens(s.tokens(), 0, s.tokens().length);
        }

        byte[] written = w.finishBlock(7);
        assertThat(written).isEqualTo(TokenSequenceSerde.encodeBlock(block));
        assertThat(written[3]).as("width").isEqualTo((byte) (maxToken < 1000 ? 1 : 2));
        assertThatThrownBy(() -> new TokenSequenceWriter("s", "byte-v1", 259).begin(0).token(1).token(2).token(3).finishBlock(2))
                .hasMessageContaining("3 tokens are not a whole number of sequences of 2");
    }

    @Test
    void shouldRefuseRunsThatAreNotConsecutiveOrOfOneLength() {
        List<TokenSequence> gap = new ArrayList<>(run(0, 2, 4, 259, 200, 1));
        gap.set(1, new TokenSequence("news.en", 5, "byte-v1", 259, new int[4]));
        List<TokenSequence> lengths = new ArrayList<>(run(0, 2, 4, 259, 200, 1));
        lengths.set(1, new TokenSequence("news.en", 1, "byte-v1", 259, new int[3]));

        assertThatThrownBy(() -> TokenSequenceSerde.encodeBlock(gap)).hasMessageContaining("#5 (4 tokens) does not follow news.en #0");
        assertThatThrownBy(() -> TokenSequenceSerde.encodeBlock(lengths)).hasMessageContaining("(3 tokens) does not follow");
        assertThatThrownBy(() -> TokenSequenceSerde.encodeBlock(List.of())).hasMessageContaining("at least one");
    }

    @Test
    void shouldRefuseToReadABlockOfSeveralAsOneSequence() {
        byte[] bytes = TokenSequenceSerde.encodeBlock(run(0, 3, 4, 259, 200, 1));

        assertThatThrownBy(() -> TokenSequenceSerde.decode(bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("block of 3 sequences");
    }

    @Test
    void shouldRefuseTruncatedOrLongerBlocksAndBadCounts() {
        byte[] bytes = TokenSequenceSerde.encodeBlock(run(0, 3, 4, 259, 200, 1));
        byte[] zero = bytes.clone();
        int countAt = 4 + 1 + "news.en".length() + 8 + 1 + "byte-v1".length() + 4;
        Arrays.fill(zero, countAt, countAt + 4, (byte) 0);

        assertThatThrownBy(() -> TokenSequenceSerde.decodeAll(Arrays.copyOf(bytes, bytes.length - 1))).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> TokenSequenceSerde.decodeAll(Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("1 bytes more");
        assertThatThrownBy(() -> TokenSequenceSerde.decodeAll(zero)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("count must be >= 1");
    }
}
