package dev.cpt.ingest.pack;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs documents into sequences of exactly {@code length} tokens: the remainder, then the
 * document's tokens and EOS, cut into whole sequences; what is left becomes the new remainder.
 * Pure: nothing is dropped or added, so the concatenation of every emitted sequence and the final
 * remainder is the concatenation of the documents' tokens, each followed by EOS.
 */
public final class Packer {

    /** The sequences one document completed and the state to carry on with. */
    public record Result(List<int[]> sequences, long firstSequence, PackState state) {
    }

    private final int length;
    private final int eos;

    public Packer(int length, int eos) {
        if (length < 1) {
            throw new IllegalArgumentException("sequence length must be >= 1: " + length);
        }
        this.length = length;
        this.eos = eos;
    }

    public Result add(PackState state, int[] document) {
        int total = state.remainder().length + document.length + 1;
        int whole = total / length;
        int[] all = new int[total];
        System.arraycopy(state.remainder(), 0, all, 0, state.remainder().length);
        System.arraycopy(document, 0, all, state.remainder().length, document.length);
        all[total - 1] = eos;
        List<int[]> sequences = new ArrayList<>(whole);
        for (int i = 0; i < whole; i++) {
            int[] seq = new int[length];
            System.arraycopy(all, i * length, seq, 0, length);
            sequences.add(seq);
        }
        int[] rest = new int[total - whole * length];
        System.arraycopy(all, whole * length, rest, 0, rest.length);
        return new Result(sequences, state.nextSequence(), new PackState(state.nextSequence() + whole, rest));
    }
}
