package dev.cpt.core.format;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenSequenceWriterTest {

    /**
     * Any split of a sequence into pieces (token runs, byte runs with 0xFF among them, single tokens)
     * writes exactly what {@link TokenSequenceSerde#encode} writes for the whole sequence.
     */
    @Property(tries = 1000)
    void shouldWriteWhatEncodeWrites(@ForAll @Size(max = 12) List<@Size(max = 30) List<@IntRange(max = 300) Integer>> pieces,
                                     @ForAll @LongRange(min = 0) long sequence, @ForAll boolean reuse) {
        TokenSequenceWriter w = new TokenSequenceWriter("news.en", "byte-v1", 65_536);
        if (reuse) {
            w.begin(7).token(300).bytes(new byte[]{1, (byte) 0xff}, 0, 2); // left unfinished: begin drops it
        }
        List<Integer> all = new ArrayList<>();
        w.begin(sequence);
        for (int p = 0; p < pieces.size(); p++) {
            List<Integer> piece = pieces.get(p);
            all.addAll(piece);
            int[] t = piece.stream().mapToInt(Integer::intValue).toArray();
            switch (p % 3) {
                case 0 -> w.tokens(t, 0, t.length);
                case 1 -> {
                    if (piece.stream().allMatch(x -> x < 256)) {
                        byte[] b = new byte[t.length + 2];
                        for (int i = 0; i < t.length; i++) {
                            b[i + 1] = (byte) t[i];
                        }
                        w.bytes(b, 1, t.length);
                    } else {
                        w.tokens(t, 0, t.length);
                    }
                }
                default -> {
                    for (int x : t) {
                        w.token(x);
                    }
                }
            }
        }
        TokenSequence expected = new TokenSequence("news.en", sequence, "byte-v1", 65_536, all.stream().mapToInt(Integer::intValue).toArray());

        assertThat(w.finish()).isEqualTo(TokenSequenceSerde.encode(expected));
    }

    @Test
    void shouldRefuseTokensOutsideTheVocabularyAndLargeVocabularies() {
        TokenSequenceWriter w = new TokenSequenceWriter("s", "byte-v1", 259).begin(0);

        assertThatThrownBy(() -> w.token(259)).hasMessageContaining("token 259 is outside the vocabulary [0, 259)");
        assertThatThrownBy(() -> new TokenSequenceWriter("s", "big", 70_000)).hasMessageContaining("at most 65536");
        assertThatThrownBy(() -> new TokenSequenceWriter("s", "tiny", 100).begin(0).bytes(new byte[]{1}, 0, 1))
                .hasMessageContaining("at least 256");
        assertThatThrownBy(() -> new TokenSequenceWriter("s", "byte-v1", 259).finish()).hasMessageContaining("begin");
    }
}
