package dev.cpt.ingest.demo;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-document contract at arbitrary seeds and far-out indices, not just the first few. */
class SyntheticStreamsPropertiesTest {

    private static final long FAR = 1_000_000_000_000L;

    @Property(tries = 300)
    void anyDocumentIsReproducibleAndWithinTheSizeBounds(@ForAll SyntheticStream stream, @ForAll long seed,
                                                         @ForAll @LongRange(max = FAR) long index) {
        DemoDocument doc = SyntheticStreams.document(stream.id(), seed, index);
        assertThat(SyntheticStreams.document(stream.id(), seed, index)).isEqualTo(doc);
        assertThat(doc.stream()).isEqualTo(stream.id());
        assertThat(doc.id()).matches(stream.id() + "/\\d{6,}").endsWith(String.valueOf(index));
        assertThat(SyntheticStreamsTest.utf8(doc).length)
                .isBetween(SyntheticStreams.MIN_BYTES, SyntheticStreams.MAX_BYTES);
    }

    @Property(tries = 300)
    void twoIndicesOfOneStreamAndSeedNeverShareText(@ForAll SyntheticStream stream, @ForAll long seed,
                                                    @ForAll @LongRange(max = FAR) long i,
                                                    @ForAll @LongRange(max = FAR) long j) {
        if (i != j) {
            assertThat(SyntheticStreams.document(stream.id(), seed, i).text())
                    .isNotEqualTo(SyntheticStreams.document(stream.id(), seed, j).text());
        }
    }
}
