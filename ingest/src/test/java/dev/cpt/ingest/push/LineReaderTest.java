package dev.cpt.ingest.push;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineReaderTest {

    private static List<String> readAll(InputStream in, int max) throws Exception {
        LineReader r = new LineReader(in, max);
        List<String> out = new ArrayList<>();
        LineReader.Line l;
        while ((l = r.next()) != null) {
            out.add(l.tooLong() ? "<too long: " + l.length() + ">" : new String(l.bytes(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldSplitOnNewlineAndDropCarriageReturnOfTheLineEnd() throws Exception {
        assertThat(readAll(bytes("a\r\nb\n\nc\rd\nlast"), 100)).containsExactly("a", "b", "", "c\rd", "last");
    }

    @Test
    void shouldReturnNothingForEmptyInputAndNoExtraLineAfterFinalNewline() throws Exception {
        assertThat(readAll(bytes(""), 10)).isEmpty();
        assertThat(readAll(bytes("x\n"), 10)).containsExactly("x");
    }

    @Test
    void shouldFlagLineLongerThanLimitAndKeepReading() throws Exception {
        assertThat(readAll(bytes("12345\n123456\n1234\r\n123456\r\n"), 5))
                .containsExactly("12345", "<too long: 6>", "1234", "<too long: 6>");
    }

    @Test
    void shouldCountConsumedBytesIncludingLineEnds() throws Exception {
        LineReader r = new LineReader(bytes("ab\r\ncd\n"), 10);
        r.next();
        assertThat(r.consumed()).isEqualTo(4);
        r.next();
        assertThat(r.consumed()).isEqualTo(7);
        assertThat(r.next()).isNull();
    }

    @Test
    void shouldReadLinesLongerThanItsInternalChunk() throws Exception {
        String big = "z".repeat(200_000);
        assertThat(readAll(bytes(big + "\n" + big), 300_000)).containsExactly(big, big);
    }

    /** Whatever the lines and however the stream delivers its bytes, they come back exactly. */
    @Property(tries = 200)
    void shouldRoundTripAnyLinesWithoutNewlines(@ForAll @Size(max = 20) List<@StringLength(max = 300) String> lines,
                                                @ForAll @IntRange(min = 1, max = 97) int readSize) throws Exception {
        List<String> clean = lines.stream().map(s -> s.replace("\n", "").replace("\r", "")).toList();
        String joined = String.join("\n", clean);
        InputStream trickle = new ByteArrayInputStream(joined.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, readSize)); // short reads, as pipes deliver them
            }
        };

        // a final "\n" ends the last line rather than starting an empty one
        List<String> expected = !clean.isEmpty() && clean.get(clean.size() - 1).isEmpty()
                ? clean.subList(0, clean.size() - 1) : clean;
        assertThat(readAll(trickle, 100_000)).isEqualTo(expected);
    }
}
