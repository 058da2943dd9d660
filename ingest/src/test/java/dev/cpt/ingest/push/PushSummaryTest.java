package dev.cpt.ingest.push;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PushSummaryTest {

    @Test
    void shouldSayDocumentsSizeSourcesTopicTimeRateAndBadLinesOnOneLine() {
        PushSummary s = new PushSummary("cpt.docs", 210, 9_300_000, 1, false, 0, 0, 0, Optional.empty(), Optional.empty(),
                Duration.ofMillis(1200));

        assertThat(s.line()).isEqualTo("pushed 210 documents (9.3 MB) from 1 file to cpt.docs in 1.2 s (7.8 MB/s); 0 bad lines");
        assertThat(s.complete()).isTrue();
    }

    @Test
    void shouldNameStdinSkippedInputsFailuresAndWhereItStopped() {
        PushSummary s = new PushSummary("t", 1, 512, 2, true, 1, 1, 3, Optional.of("TimeoutException: x"), Optional.of("a.jsonl:7"),
                Duration.ofMillis(500));

        assertThat(s.line()).isEqualTo("pushed 1 document (512 B) from 2 files and stdin to t in 0.5 s (1.0 kB/s); 1 bad line"
                + "; 1 input skipped; 3 not sent; stopped at a.jsonl:7");
        assertThat(s.complete()).isFalse();
    }

    @Test
    void shouldCountSkippedBadLinesAsComplete() {
        PushSummary s = new PushSummary("t", 0, 0, 0, true, 4, 0, 0, Optional.empty(), Optional.empty(), Duration.ZERO);

        assertThat(s.complete()).isTrue();
        assertThat(s.line()).startsWith("pushed 0 documents (0 B) from stdin to t in 0.0 s (0 B/s); 4 bad lines");
    }
}
