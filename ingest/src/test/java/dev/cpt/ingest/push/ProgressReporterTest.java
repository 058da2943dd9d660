package dev.cpt.ingest.push;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressReporterTest {

    private final StringWriter err = new StringWriter();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private ProgressReporter reporter(boolean bar) {
        return new ProgressReporter(new PrintWriter(err), bar, now::get);
    }

    private static PushProgress progress(long docs) {
        return new PushProgress(docs, docs * 1_000_000, docs * 1_000_000, 10_000_000, docs * 1_000_000_000L);
    }

    @Test
    void shouldShowDocumentsSizeRatePercentAndEtaWhenTotalIsKnown() {
        assertThat(ProgressReporter.render(new PushProgress(4, 4_000_000, 4_000_000, 10_000_000, 2_000_000_000L)))
                .isEqualTo("4 documents  4.0 MB  2.0 MB/s   40%  ETA 0:03");
        assertThat(ProgressReporter.render(new PushProgress(1, 10, 10, -1, 1_000_000_000L)))
                .isEqualTo("1 document  10 B  10 B/s");
        assertThat(ProgressReporter.render(new PushProgress(0, 0, 100, 10_000_000, 5_000_000L)))
                .as("no ETA from the first moments").isEqualTo("0 documents  0 B  0 B/s    0%");
    }

    @Test
    void shouldRedrawAtMostFiveTimesASecondOnOneLine() {
        ProgressReporter r = reporter(true);

        r.progress(progress(1));
        for (int i = 2; i < 100; i++) {
            now.addAndGet(1_000_000); // 1 ms apart: all within one interval
            r.progress(progress(i));
        }
        now.addAndGet(ProgressReporter.INTERVAL_NANOS);
        r.progress(progress(100));

        assertThat(err.toString()).doesNotContain("\n");
        assertThat(err.toString().split("\r", -1)).hasSize(3); // "" + two drawings
        assertThat(err.toString()).contains("1 document ").contains("100 documents");
    }

    @Test
    void shouldClearTheBarBeforeAProblemAndWhenFinished() {
        ProgressReporter r = reporter(true);
        r.progress(progress(1));

        r.problem("a.jsonl:3: not JSON (x)");
        r.finished();

        String out = err.toString();
        assertThat(out).contains("\r" + " ".repeat("1 document  1.0 MB  1.0 MB/s   10%  ETA 0:09".length()) + "\r" + "a.jsonl:3: not JSON (x)");
        assertThat(out).endsWith("not JSON (x)" + System.lineSeparator());
    }

    @Test
    void shouldPrintOnlyProblemsWithoutATerminal() {
        ProgressReporter r = reporter(false);

        r.progress(progress(1));
        r.problem("x: cannot read (no such file)");
        r.finished();

        assertThat(err.toString()).isEqualTo("x: cannot read (no such file)" + System.lineSeparator());
    }
}
