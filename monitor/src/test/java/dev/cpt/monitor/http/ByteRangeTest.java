package dev.cpt.monitor.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteRangeTest {

    @Test
    void parsesOneRangeAgainstTheSize() {
        assertThat(ByteRange.parse(null, 100)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=0-9", 100)).isEqualTo(new ByteRange.Part(0, 9));
        assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange.Part(90, 99));
        assertThat(ByteRange.parse("bytes=-10", 100)).isEqualTo(new ByteRange.Part(90, 99));
        assertThat(ByteRange.parse("bytes=-1000", 100)).isEqualTo(new ByteRange.Part(0, 99));
        assertThat(ByteRange.parse("bytes=50-5000", 100)).isEqualTo(new ByteRange.Part(50, 99));
        assertThat(ByteRange.parse("bytes=100-", 100)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=100-200", 100)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=-0", 100)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=0-", 0)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=9-0", 100)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=0-1,4-5", 100)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("items=0-1", 100)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=-", 100)).isEqualTo(new ByteRange.Whole());
        assertThat(ByteRange.parse("bytes=99999999999999999999-", 100)).isEqualTo(new ByteRange.Whole());
    }

    @Test
    void parsesWaitsAndCapsThem() {
        Duration max = Duration.ofSeconds(60);
        assertThat(Waits.parse("500ms", max)).isEqualTo(Duration.ofMillis(500));
        assertThat(Waits.parse("30s", max)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Waits.parse("2m", max)).isEqualTo(max);
        assertThat(Waits.parse("0s", max)).isEqualTo(Duration.ZERO);
        for (String bad : new String[]{"", "30", "1h", "-1s", "1.5s", "s", null}) {
            assertThatThrownBy(() -> Waits.parse(bad, max)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("500ms, 30s, 2m");
        }
    }
}
