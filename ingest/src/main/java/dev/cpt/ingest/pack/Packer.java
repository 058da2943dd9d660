package dev.cpt.ingest.pack;

import dev.cpt.core.format.TokenSequenceWriter;

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

    /**
     * {@link Result} with the sequences already in their binary form ({@code TokenSequenceSerde}): runs
     * of up to {@code perRecord} consecutive sequences, one record each.
     *
     * @param sequences how many sequences the records hold together
     */
    public record Encoded(List<byte[]> records, long firstSequence, int sequences, PackState state) {
    }

    /**
     * Where {@link #fill} copies to: tokens of the remainder, a run of the document's tokens, or the
     * closing EOS. The document is the target's, so one walk serves int and byte documents alike.
     */
    private interface Target {
        void remainder(int[] rem, int from, int n);

        void document(int from, int n);

        void eos(int eos);
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
            fill(rem, document.length, i * length, length, new IntTarget(document, null, seq));
            sequences.add(seq);
        }
        int[] rest = new int[total - whole * length];
        fill(rem, document.length, whole * length, rest.length, new IntTarget(document, null, rest));
        return new Result(sequences, state.nextSequence(), new PackState(state.nextSequence() + whole, rest));
    }

    /**
     * {@link #add} for a document whose tokens are its bytes, read unsigned (the byte-level tokenizer's
     * UTF-8 bytes): the whole sequences are written by {@code writer}, straight from the bytes, in
     * records of up to {@code perRecord} sequences (the last record of a document may hold fewer).
     */
    public Encoded addBytes(PackState state, byte[] document, TokenSequenceWriter writer, int perRecord) {
        if (perRecord < 1) {
            throw new IllegalArgumentException("sequences per record must be >= 1: " + perRecord);
        }
        int[] rem = state.remainder();
        int total = rem.length + document.length + 1;
        int whole = total / length;
        List<byte[]> records = new ArrayList<>((whole + perRecord - 1) / perRecord);
        Target toWriter = new Target() {
            @Override
            public void remainder(int[] r, int from, int n) {
                writer.tokens(r, from, n);
            }

            @Override
            public void document(int from, int n) {
                writer.bytes(document, from, n);
            }

            @Override
            public void eos(int token) {
                writer.token(token);
            }
        };
        for (int i = 0; i < whole; i += perRecord) {
            int n = Math.min(perRecord, whole - i);
            writer.begin(state.nextSequence() + i);
            fill(rem, document.length, i * length, n * length, toWriter);
            records.add(writer.finishBlock(length));
        }
        int[] rest = new int[total - whole * length];
        fill(rem, document.length, whole * length, rest.length, new IntTarget(null, document, rest));
        return new Encoded(records, state.nextSequence(), whole, new PackState(state.nextSequence() + whole, rest));
    }

    /** Sends {@code n} tokens of the virtual concatenation {@code rem + doc + [EOS]} from {@code from} to {@code out}. */
    private void fill(int[] rem, int docLength, int from, int n, Target out) {
        int o = 0;
        int pos = from;
        if (pos < rem.length) {
            int k = Math.min(n, rem.length - pos);
            out.remainder(rem, pos, k);
            o += k;
            pos += k;
        }
        int inDoc = pos - rem.length;
        if (o < n && inDoc < docLength) {
            int k = Math.min(n - o, docLength - inDoc);
            out.document(inDoc, k);
            o += k;
        }
        if (o < n) {
            out.eos(eos); // only the last token of the concatenation is EOS
        }
    }

    /** Copies into an int array, from an int document or a byte document (its bytes read unsigned). */
    private static final class IntTarget implements Target {
        private final int[] ints;
        private final byte[] bytes;
        private final int[] out;
        private int o;

        /** @param ints the document, or null when it is {@code bytes} */
        IntTarget(int[] ints, byte[] bytes, int[] out) {
            this.ints = ints;
            this.bytes = bytes;
            this.out = out;
        }

        @Override
        public void remainder(int[] rem, int from, int n) {
            System.arraycopy(rem, from, out, 0, n);
            o = n;
        }

        @Override
        public void document(int from, int n) {
            if (ints != null) {
                System.arraycopy(ints, from, out, o, n);
            } else {
                for (int i = 0; i < n; i++) {
                    out[o + i] = bytes[from + i] & 0xff;
                }
            }
            o += n;
        }

        @Override
        public void eos(int token) {
            out[o] = token;
        }
    }
}
