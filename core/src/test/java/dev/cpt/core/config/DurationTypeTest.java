package dev.cpt.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** "250ms", "30s", "5m", "2h", "7d" and ISO-8601 all mean the same wherever they are written. */
class DurationTypeTest {

    private static final ValueType<Duration> TYPE = ValueType.DURATION_TYPE;

    @ParameterizedTest(name = "''{0}'' = {1}")
    @CsvSource({
            "250ms,     PT0.25S",
            "30s,       PT30S",
            "5m,        PT5M",
            "2h,        PT2H",
            "7d,        PT168H",
            "PT30S,     PT30S",
            "pt30s,     PT30S",
            "P2D,       PT48H",
            "PT1.5S,    PT1.5S",
            "0s,        PT0S",
            "0ms,       PT0S",
            "90s,       PT1M30S",
            "7D,        PT168H",
            "'  30s  ', PT30S",
            "'30 s',    PT30S",
    })
    void shouldParseShortAndIsoDurations(String text, String iso) {
        assertThat(TYPE.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest(name = "{0} -> ''{1}''")
    @CsvSource({
            "PT0.25S,  250ms",
            "PT30S,    30s",
            "PT5M,     5m",
            "PT2H,     2h",
            "PT168H,   7d",
            "PT0S,     0s",
            "PT1.5S,   1500ms",
            "PT1M30S,  90s",
            "PT36H,    36h",
            "PT1H1M,   61m",
            "PT25H,    25h",
    })
    void shouldFormatDurationInLargestWholeUnitAndParseItBack(String iso, String text) {
        Duration d = Duration.parse(iso);

        assertThat(TYPE.format(d)).isEqualTo(text);
        assertThat(TYPE.parse(TYPE.format(d))).isEqualTo(d);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", " ", "abc", "30", "5 minutes", "1.5h", "-5s", "s", "30sec", "P", "PT"})
    void shouldRejectTextThatIsNotADuration(String text) {
        assertThatThrownBy(() -> TYPE.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a duration (e.g. 250ms, 30s, 5m, 2h, 7d)");
    }

    @Test
    void shouldAcceptTheLongestAllowedDurationAndFormatItBack() {
        Duration d = TYPE.parse("36500d");

        assertThat(d).isEqualTo(Duration.ofDays(36_500));
        assertThat(TYPE.parse(TYPE.format(d))).isEqualTo(d);
    }

    @Test
    void shouldDescribeAtLeastRuleInShortForm() {
        assertThat(Rule.atLeast(Duration.ofMinutes(1)).description()).isEqualTo("at least 1m");
        assertThat(Rule.atLeast(Duration.ofMillis(1500)).description()).isEqualTo("at least 1500ms");
    }

    @Test
    void shouldRejectDurationTooLongForJavaAsConfigProblem() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(),
                List.of("cpt.kafka.topic.retention=200000000000000d")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cpt.kafka.topic.retention");
    }

    @Test
    void shouldRejectOrFormatBackAnyDurationItAccepts() {
        Config config;
        try {
            config = ConfigLoader.load(Optional.empty(), Map.of(), List.of("cpt.kafka.topic.retention=100000000000000d"));
        } catch (ConfigException e) {
            assertThat(e).hasMessageContaining("cpt.kafka.topic.retention");
            return; // rejecting it is one fix
        }
        Duration accepted = config.get(KafkaSettings.TOPIC_RETENTION);
        assertThat(TYPE.parse(TYPE.format(accepted))).isEqualTo(accepted); // formatting it back is the other
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999d", "36501d", "PT1.0005S", "-5s", "PT-5S"})
    void shouldRejectDurationsOutOfRangeOrFinerThanAMillisecond(String text) {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(), List.of("cpt.shutdown.timeout=" + text)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cpt.shutdown.timeout")
                .hasMessageContaining("duration");
    }
}
