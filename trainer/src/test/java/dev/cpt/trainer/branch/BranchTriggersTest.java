package dev.cpt.trainer.branch;

import dev.cpt.core.config.BranchSettings;
import dev.cpt.core.config.Config;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BranchTriggersTest {

    @ParameterizedTest(name = "every {0} tokens / {1} min; {2} tokens, {3} ms since -> ''{4}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            0    | 0 | 9000000000 | 9000000000 | ""
            1000 | 0 | 999        | 9000000000 | ""
            1000 | 0 | 1000       | 0          | every 1000 tokens
            1000 | 0 | 5000       | 0          | every 1000 tokens
            0    | 5 | 9000000000 | 299999     | ""
            0    | 5 | 0          | 300000     | every 5 minutes
            1000 | 5 | 999        | 299999     | ""
            1000 | 5 | 1000       | 300000     | every 1000 tokens
            1000 | 5 | 10         | 300000     | every 5 minutes
            1000 | 5 | 1000       | 10         | every 1000 tokens
            """)
    void shouldBeDueOnceEitherEnabledTriggerIsReachedAndSayWhich(long everyTokens, long everyMinutes, long tokensSince,
                                                                  long msSince, String reason) {
        var due = new BranchTriggers(everyTokens, everyMinutes).due(tokensSince, msSince);

        if (reason.isEmpty()) {
            assertThat(due).isEmpty();
        } else {
            assertThat(due).contains(reason);
        }
    }

    @Property(tries = 300)
    void shouldNeverBeDueWhenOff(@ForAll @LongRange(min = 0) long tokensSince, @ForAll @LongRange(min = 0) long msSince) {
        assertThat(BranchTriggers.OFF.due(tokensSince, msSince)).isEmpty();
    }

    @Test
    void shouldNotBeDueAtTheExtremesWhenOff() {
        assertThat(BranchTriggers.OFF.due(Long.MAX_VALUE, Long.MAX_VALUE)).isEmpty();
    }

    @ParameterizedTest(name = "tokens {0}, minutes {1}")
    @CsvSource({"-1, 0", "0, -1", "-5, -5"})
    void shouldRefuseANegativeTriggerNamingBoth(long everyTokens, long everyMinutes) {
        assertThatThrownBy(() -> new BranchTriggers(everyTokens, everyMinutes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("branch triggers must be >= 0")
                .hasMessageContaining("tokens " + everyTokens + ", minutes " + everyMinutes);
    }

    @Test
    void shouldReadTheTriggersFromCptBranchSettingsAndBeOffByDefault() {
        assertThat(BranchTriggers.from(Config.defaults())).isEqualTo(BranchTriggers.OFF);

        Config c = Config.defaults().with(BranchSettings.EVERY_TOKENS, "1000000").with(BranchSettings.EVERY_MINUTES, "30");
        assertThat(BranchTriggers.from(c)).isEqualTo(new BranchTriggers(1_000_000, 30));
    }
}
