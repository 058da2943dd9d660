package dev.cpt.ingest.topology;

import dev.cpt.core.format.TokenSequence;
import dev.cpt.ingest.tokenize.ByteTokenizer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NotBlank;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The packing invariant through the whole topology: every accepted document's tokens come out once, in order. */
class TopologyPackingProperties {

    @Property(tries = 15)
    void sequencesPlusRemainderEqualTheDocumentsTokensWithEos(
            @ForAll @Size(min = 1, max = 20) List<@NotBlank @StringLength(max = 60) String> texts,
            @ForAll @IntRange(min = 2, max = 64) int length) {
        try (IngestDriver ingest = new IngestDriver("cpt.ingest.sequence.length=" + length, "cpt.ingest.heldout.fraction=0")) {
            List<Integer> expected = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            ByteTokenizer tokenizer = new ByteTokenizer();
            for (String text : texts) {
                ingest.send("p", text, "cpt.format", "text");
                if (seen.add(dev.cpt.ingest.dedup.ContentHash.normalize(text))) { // exact duplicates are dropped
                    for (int t : tokenizer.encode(text)) {
                        expected.add(t);
                    }
                    expected.add(ByteTokenizer.EOS);
                }
            }
            List<Integer> emitted = new ArrayList<>();
            long next = 0;
            for (TokenSequence s : ingest.sequences.readValuesToList()) {
                assertThat(s.sequence()).isEqualTo(next++);
                assertThat(s.tokens()).hasSize(length);
                for (int t : s.tokens()) {
                    emitted.add(t);
                }
            }
            for (int t : ingest.remainder("p", "train").remainder()) {
                emitted.add(t);
            }
            assertThat(emitted).isEqualTo(expected);
            ingest.assertNoOutputLeft();
        }
    }
}
