package dev.cpt.trainer.branch;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BranchDataTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"upcoming", "replay", "mix:a:1,b:2.5", "mix:code.v2:0.125,web:0"})
    void shouldReadBackItsOwnWord(String word) {
        BranchData data = BranchData.parse(word);

        assertThat(data.word()).isEqualTo(word);
        assertThat(BranchData.parse(data.word())).isEqualTo(data);
    }

    @Test
    void shouldReadEachFormIntoItsKind() {
        assertThat(BranchData.parse("upcoming")).isInstanceOf(BranchData.Upcoming.class);
        assertThat(BranchData.parse("replay")).isInstanceOf(BranchData.Replay.class);
        assertThat(BranchData.parse("mix:a:1,b:2.5")).isEqualTo(new BranchData.Mix(Map.of("a", 1.0, "b", 2.5)));
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            " Replay "               | replay
            UPCOMING                 | upcoming
            mix:b:2.5,a:1            | mix:a:1,b:2.5
            "mix: a : 1 , b : 2.50 " | mix:a:1,b:2.5
            mix:a:3.0                | mix:a:3
            """)
    void shouldWriteTheCanonicalWordWhateverTheSpellingOfTheKeywordsAndSpaces(String text, String word) {
        assertThat(BranchData.parse(text).word()).isEqualTo(word);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            mix:           | '' is not stream:weight
            mix:A:1        | 'A:1' is not stream:weight
            mix:Web:1      | 'Web:1' is not stream:weight
            mix:a          | 'a' is not stream:weight
            mix:a:x        | 'a:x' is not stream:weight
            mix:a:-1       | 'a:-1' is not stream:weight
            mix:a:Infinity | is not stream:weight
            mix:a:1,,b:1   | '' is not stream:weight
            mix:.a:1       | '.a:1' is not stream:weight
            """)
    void shouldRefuseAPairThatIsNotAStreamIdAndAFiniteWeight(String text, String problem) {
        assertThatThrownBy(() -> BranchData.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("branch data '" + text + "'")
                .hasMessageContaining(problem)
                .hasMessageContaining("a stream id and a finite weight >= 0");
    }

    @Test
    void shouldRefuseAMixWhereNoStreamWeighsAnything() {
        assertThatThrownBy(() -> BranchData.parse("mix:a:0,b:0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one stream with a weight above 0");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"random", "", "mixture", "replay:a:1", "upcoming,replay"})
    void shouldNameTheAllowedFormsForAnUnknownWord(String text) {
        assertThatThrownBy(() -> BranchData.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("upcoming, replay, mix:stream:weight");
    }

    @Property(tries = 200)
    void shouldRoundTripAnyMixOfValidStreamsAndWeights(@ForAll("mixes") Map<String, Double> weights) {
        BranchData.Mix mix = new BranchData.Mix(weights);

        assertThat(BranchData.parse(mix.word())).isEqualTo(mix);
    }

    @Provide
    Arbitrary<Map<String, Double>> mixes() {
        Arbitrary<String> streams = Arbitraries.strings().withChars("abcxyz019").ofMinLength(1).ofMaxLength(8)
                .flatMap(head -> Arbitraries.strings().withChars("ab._-").ofMaxLength(4).map(tail -> head + tail));
        Arbitrary<Double> weights = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 1_000_000).map(Integer::doubleValue),
                Arbitraries.doubles().between(0, 1000));
        return Arbitraries.maps(streams, weights).ofMinSize(1).ofMaxSize(5)
                .filter(m -> m.values().stream().anyMatch(w -> w > 0));
    }
}
