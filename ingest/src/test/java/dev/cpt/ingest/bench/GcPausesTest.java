package dev.cpt.ingest.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GcPausesTest {

    @ParameterizedTest(name = "{0}: pauses {1}")
    @CsvSource({"G1 Young Generation, true", "G1 Old Generation, true", "G1 Concurrent GC, false", "ZGC Pauses, true",
            "ZGC Cycles, false", "Shenandoah Pauses, true", "Shenandoah Cycles, false", "Copy, true", "MarkSweepCompact, true",
            "PS Scavenge, true"})
    void shouldCountOnlyCollectorsWhoseTimeIsPauses(String name, boolean pauses) {
        assertThat(GcPauses.isPauses(name)).isEqualTo(pauses);
    }

    @Test
    void shouldCountACollectionBetweenTwoReadings() {
        GcPauses before = GcPauses.sinceStart();
        System.gc();
        GcPauses between = GcPauses.sinceStart().minus(before);

        assertThat(between.count()).isGreaterThanOrEqualTo(1);
        assertThat(between.millis()).isGreaterThanOrEqualTo(0);
        assertThat(between.describe()).matches("\\d+ GC \\d+\\.\\d{3} s");
        assertThat(new GcPauses(-1, -1).minus(before).describe()).isEqualTo("?");
    }
}
