package dev.cpt.ingest.pack;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.nio.ByteBuffer;

/**
 * What packing carries from one document to the next for one stream and split: the next sequence
 * number and the tokens not yet filling a whole sequence. Kept in a changelogged state store, so a
 * restart continues exactly where the last committed transaction stopped.
 *
 * @param remainder fewer tokens than one sequence (not copied: treat as immutable)
 */
public record PackState(long nextSequence, int[] remainder) {

    public static final PackState EMPTY = new PackState(0, new int[0]);

    /** Binary: next sequence i64, count i32, tokens i32 each. */
    public static Serde<PackState> serde() {
        return Serdes.serdeFrom((topic, s) -> {
            ByteBuffer b = ByteBuffer.allocate(12 + 4 * s.remainder.length);
            b.putLong(s.nextSequence).putInt(s.remainder.length);
            for (int t : s.remainder) {
                b.putInt(t);
            }
            return b.array();
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long next = b.getLong();
            int[] r = new int[b.getInt()];
            for (int i = 0; i < r.length; i++) {
                r[i] = b.getInt();
            }
            return new PackState(next, r);
        });
    }
}
