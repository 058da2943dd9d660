package dev.cpt.core.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the configuration types that must hold for every value, not only the examples. */
class ConfigPropertiesTest {

    /** A little over ten years (3653 days), in milliseconds; a compile-time constant for {@code @LongRange}. */
    private static final long TEN_YEARS_MS = 3653L * 24 * 60 * 60 * 1000;

    @Property
    void shouldParseFormattedDurationBackToItselfForAnyWholeMilliseconds(
            @ForAll @LongRange(min = 0, max = TEN_YEARS_MS) long millis) {
        Duration d = Duration.ofMillis(millis);

        assertThat(ValueType.DURATION_TYPE.parse(ValueType.DURATION_TYPE.format(d))).isEqualTo(d);
    }

    @Property
    void shouldParseFormattedDurationBackToItselfForWholeUnits(@ForAll("wholeUnitDurations") Duration d) {
        String text = ValueType.DURATION_TYPE.format(d);

        assertThat(ValueType.DURATION_TYPE.parse(text)).isEqualTo(d);
        assertThat(text).matches("\\d+(ms|s|m|h|d)");
    }

    @Property
    void shouldMapEveryRegisteredKeyToItsEnvironmentVariable(@ForAll("registeredSettings") Setting<?> s) {
        String expected = "CPT_" + s.key().substring("cpt.".length()).toUpperCase(Locale.ROOT).replaceAll("[.-]", "_");

        assertThat(s.envName()).isEqualTo(expected).matches("CPT_[A-Z0-9_]+");
    }

    @Property
    void shouldMapAnyValidKeyToUpperCaseWithUnderscores(@ForAll("validKeys") String key) {
        Setting<String> s = Setting.of(key, ValueType.STRING, "", "A generated setting.");

        assertThat(s.envName())
                .startsWith("CPT_")
                .isEqualTo(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'))
                .doesNotContain(".", "-")
                .hasSameSizeAs(key);
    }

    @Property
    void shouldParseFormattedIntegerBackToItself(@ForAll int n) {
        assertThat(ValueType.INT.parse(ValueType.INT.format(n))).isEqualTo(n);
    }

    @Property
    void shouldParseFormattedLongBackToItself(@ForAll long n) {
        assertThat(ValueType.LONG.parse(ValueType.LONG.format(n))).isEqualTo(n);
    }

    @Property
    void shouldAcceptEveryPortAndRejectEverythingOutsideTheRange(@ForAll int n) {
        assertThat(Rule.port().accepts(n)).isEqualTo(n >= 0 && n <= 65535);
    }

    @Property
    void shouldNeverSuggestAKeyFartherThanHalfTheTypo(@ForAll("typos") String typo) {
        Suggest.nearest(typo, Settings.all().stream().map(Setting::key).toList()).ifPresent(k ->
                assertThat(Suggest.distance(typo, k)).isLessThanOrEqualTo(Math.max(3, typo.length() / 2)));
    }

    @Property
    void shouldSuggestTheRegisteredKeyForAnySingleCharacterTypo(
            @ForAll("registeredSettings") Setting<?> s, @ForAll("typoPositions") int position) {
        String key = s.key();
        int at = Math.floorMod(position, key.length());
        String typo = key.substring(0, at) + key.substring(at + 1); // one character dropped

        assertThat(Suggest.nearest(typo, Settings.all().stream().map(Setting::key).toList()))
                .hasValueSatisfying(k -> assertThat(Suggest.distance(typo, k)).isEqualTo(1));
    }

    @Provide
    Arbitrary<Setting<?>> registeredSettings() {
        return Arbitraries.of(Settings.all());
    }

    @Provide
    Arbitrary<Duration> wholeUnitDurations() {
        Arbitrary<ChronoUnit> unit = Arbitraries.of(ChronoUnit.MILLIS, ChronoUnit.SECONDS, ChronoUnit.MINUTES,
                ChronoUnit.HOURS, ChronoUnit.DAYS);
        return Combinators.combine(Arbitraries.longs().between(0, 3653), unit)
                .as((n, u) -> Duration.of(n, u));
    }

    @Provide
    Arbitrary<String> validKeys() {
        Arbitrary<String> part = Combinators.combine(
                        Arbitraries.chars().range('a', 'z'),
                        Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('-').ofMaxLength(8))
                .as((first, rest) -> first + rest);
        return part.list().ofMinSize(2).ofMaxSize(5).map(parts -> "cpt." + String.join(".", parts));
    }

    @Provide
    Arbitrary<String> typos() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('.', '-', '_').ofMaxLength(40);
    }

    @Provide
    Arbitrary<Integer> typoPositions() {
        return Arbitraries.integers().between(0, 100);
    }
}
