package dev.cpt.monitor.pull;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    final AtomicLong clock = new AtomicLong();
    final StringWriter out = new StringWriter();

    @Test
    void drawsABarInPlaceOnATerminal() {
        Progress p = new Progress(new PrintWriter(out), true, clock::get);
        p.start("model.safetensors", 4_000_000);
        clock.set(500_000_000L);
        p.advance(2_000_000);
        clock.set(1_000_000_000L);
        p.advance(4_000_000);
        p.done();

        String s = out.toString();
        assertThat(s).startsWith("\r  model.safetensors [........................] 0 B / 4.0 MB");
        assertThat(s).contains("\r  model.safetensors [############............] 2.0 MB / 4.0 MB  4.0 MB/s");
        assertThat(s).endsWith("\r  model.safetensors [########################] 4.0 MB / 4.0 MB  4.0 MB/s" + System.lineSeparator());
    }

    @Test
    void writesOneLinePerFileElsewhere() {
        Progress p = new Progress(new PrintWriter(out), false, clock::get);
        p.start("replay/en.slots", 2_500);
        clock.set(2_000_000_000L);
        p.advance(2_500);
        p.done();
        p.note("done");

        assertThat(out.toString()).isEqualTo("  replay/en.slots 2.5 kB in 2.0 s (0.0 MB/s)" + System.lineSeparator()
                + "done" + System.lineSeparator());
    }

    @Test
    void endsABarBeforeANote() {
        Progress p = new Progress(new PrintWriter(out), true, clock::get);
        p.start("a", 10);
        p.note("cpt pull: the connection broke");

        assertThat(out.toString()).endsWith("MB/s" + System.lineSeparator() + "cpt pull: the connection broke" + System.lineSeparator());
    }
}
