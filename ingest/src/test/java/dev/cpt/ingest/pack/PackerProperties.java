package dev.cpt.ingest.pack;

import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import dev.cpt.core.format.TokenSequenceWriter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PackerProperties {

    private static final int EOS = 256;

    @Property(tries = 500)
    void packingNeverLosesOrAddsAToken(@ForAll @Size(max = 30) List<@Size(max = 50) List<@IntRange(max = 255) Integer>> documents,
                                      @ForAll @IntRange(min = 1, max = 40) int length) {
        Packer packer = new Packer(length, EOS);
        PackState state = PackState.EMPTY;
        List<Integer> emitted = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        long sequences = 0;
        for (List<Integer> doc : documents) {
            Packer.Result r = packer.add(state, doc.stream().mapToInt(Integer::intValue).toArray());
            assertThat(r.firstSequence()).isEqualTo(sequences);
            for (int[] s : r.sequences()) {
                assertThat(s).hasSize(length);
                for (int t : s) {
                    emitted.add(t);
                }
            }
            sequences += r.sequences().size();
            state = r.state();
            assertThat(state.remainder().length).isLessThan(length);
            assertThat(state.nextSequence()).isEqualTo(sequences);
            expected.addAll(doc);
            expected.add(EOS);
        }
        for (int t : state.remainder()) {
            emitted.add(t);
        }
        assertThat(emitted).isEqualTo(expected);
    }

    /**
     * The byte-level path writes exactly the records that tokenizing, packing and encoding would: each
     * document's whole sequences in runs of {@code perRecord}, one block record per run.
     */
    @Property(tries = 500)
    void packingBytesEqualsPackingTheirTokens(@ForAll @Size(max = 20) List<@Size(max = 60) List<@IntRange(max = 255) Integer>> documents,
                                             @ForAll @IntRange(min = 1, max = 40) int length, @ForAll @IntRange(min = 1, max = 5) int perRecord) {
        Packer packer = new Packer(length, EOS);
        TokenSequenceWriter writer = new TokenSequenceWriter("news", "byte-v1", 259);
        PackState ints = PackState.EMPTY;
        PackState bytes = PackState.EMPTY;
        for (List<Integer> doc : documents) {
            int[] tokens = doc.stream().mapToInt(Integer::intValue).toArray();
            byte[] utf8 = new byte[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                utf8[i] = (byte) tokens[i];
            }
            Packer.Result r = packer.add(ints, tokens);
            Packer.Encoded e = packer.addBytes(bytes, utf8, writer, perRecord);

            assertThat(e.firstSequence()).isEqualTo(r.firstSequence());
            assertThat(e.sequences()).isEqualTo(r.sequences().size());
            List<byte[]> want = new ArrayList<>();
            List<TokenSequence> run = new ArrayList<>();
            for (int i = 0; i < r.sequences().size(); i++) {
                run.add(new TokenSequence("news", r.firstSequence() + i, "byte-v1", 259, r.sequences().get(i)));
                if (run.size() == perRecord || i == r.sequences().size() - 1) {
                    want.add(TokenSequenceSerde.encodeBlock(run));
                    run.clear();
                }
            }
            assertThat(e.records()).containsExactlyElementsOf(want);
            assertThat(e.state().nextSequence()).isEqualTo(r.state().nextSequence());
            assertThat(e.state().remainder()).containsExactly(r.state().remainder());
            ints = r.state();
            bytes = e.state();
        }
    }

    @Property(tries = 200)
    void packStateSurvivesItsSerde(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 1 << 20) Integer> remainder,
                                   @ForAll @IntRange(min = 0) int next) {
        PackState s = new PackState(next, remainder.stream().mapToInt(Integer::intValue).toArray());
        byte[] bytes = PackState.serde().serializer().serialize("t", s);
        PackState back = PackState.serde().deserializer().deserialize("t", bytes);
        assertThat(back.nextSequence()).isEqualTo(s.nextSequence());
        assertThat(back.remainder()).containsExactly(s.remainder());
    }
}
