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
        int[] rem = state.remainder();
        int total = rem.length + document.length + 1;
        int whole = total / length;
        // read straight from remainder + document + EOS: no copy of the whole document
        List<int[]> sequences = new ArrayList<>(whole);
        for (int i = 0; i < whole; i++) {
            int[] seq = new int[length];
            fill(rem, document, i * length, seq, length);
            sequences.add(seq);
        }
        int[] rest = new int[total - whole * length];
        fill(rem, document, whole * length, rest, rest.length);
        return new Result(sequences, state.nextSequence(), new PackState(state.nextSequence() + whole, rest));
    }

    /** Copies {@code n} tokens of the virtual concatenation {@code rem + doc + [EOS]} from {@code from} into {@code out}. */
    private void fill(int[] rem, int[] doc, int from, int[] out, int n) {
        int o = 0;
        int pos = from;
        if (pos < rem.length) {
            int k = Math.min(n, rem.length - pos);
            System.arraycopy(rem, pos, out, 0, k);
            o += k;
            pos += k;
        }
        int inDoc = pos - rem.length;
        if (o < n && inDoc < doc.length) {
            int k = Math.min(n - o, doc.length - inDoc);
            System.arraycopy(doc, inDoc, out, o, k);
            o += k;
        }
        if (o < n) {
            out[o] = eos; // only the last token of the concatenation is EOS
        }
    }
}
