package dev.cpt.trainer.replay;

import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One stream's reservoir: Algorithm R over the stream's sequences, its slots in one file of
 * fixed-size records (slot {@code k} at byte {@code k * recordBytes}, each record the
 * {@link TokenSequenceSerde} encoding, so a replayed sequence keeps its stream, number and
 * tokenizer). The file holds {@code min(seen, capacity)} records and never grows past
 * {@code capacity * recordBytes <= capacityBytes}.
 *
 * <p>Algorithm R rather than L: R draws one number per offer, which costs nanoseconds next to a
 * training step, and its whole state is (seen, generator), so resuming needs nothing more.
 */
final class StreamReservoir implements AutoCloseable {

    private final String stream;
    private final String tokenizer;
    private final int vocabSize;
    private final int length;
    private final int recordBytes;
    private final long capacity;
    private final ReplayRng rng;
    private final FileChannel file;
    private long seen;

    private StreamReservoir(ReplayState.StreamState s, long capacityBytes, ReplayRng rng, FileChannel file) {
        this.stream = s.stream();
        this.tokenizer = s.tokenizer();
        this.vocabSize = s.vocabSize();
        this.length = s.length();
        this.seen = s.seen();
        this.rng = rng;
        this.file = file;
        // the encoding's size depends only on these fields, so a prototype gives every record's size
        this.recordBytes = TokenSequenceSerde.encodeFixed(new TokenSequence(stream, 0, tokenizer, vocabSize, new int[length])).length;
        this.capacity = capacityBytes / recordBytes;
        if (capacity < 1) {
            throw new IllegalArgumentException("a replay capacity of " + capacityBytes + " bytes per stream cannot hold one sequence of stream '"
                    + stream + "' (" + recordBytes + " bytes: " + length + " tokens of " + tokenizer + "); raise the replay capacity");
        }
    }

    /**
     * Opens the slot file {@code slots} for the stream described by {@code s}. With {@code s.seen() == 0}
     * the file is created empty (truncating a stale one); otherwise it must already hold exactly the
     * {@code min(seen, capacity)} records the state implies.
     */
    static StreamReservoir open(Path slots, ReplayState.StreamState s, long capacityBytes, long seed) throws IOException {
        ReplayRng rng = s.seen() == 0 ? ReplayRng.seeded(ReplayRng.derive(seed, s.stream())) : ReplayRng.fromState(s.rngState());
        FileChannel ch = s.seen() == 0
                ? FileChannel.open(slots, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(slots, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            StreamReservoir r = new StreamReservoir(s, capacityBytes, rng, ch);
            long expected = r.held() * r.recordBytes;
            if (ch.size() != expected) {
                throw new IOException("replay slot file " + slots + " has " + ch.size() + " bytes; the state says " + r.held()
                        + " sequences of " + r.recordBytes + " bytes = " + expected);
            }
            return r;
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (s.seen() == 0) {
                java.nio.file.Files.deleteIfExists(slots); // do not leave an empty file for a stream that was refused
            }
            throw e;
        }
    }

    /** The description of a new, empty reservoir for the stream of {@code first}. */
    static ReplayState.StreamState fresh(TokenSequence first) {
        return new ReplayState.StreamState(first.stream(), first.tokenizer(), first.vocabSize(), first.length(), 0, 0);
    }

    /**
     * Counts {@code s} as seen and keeps it with probability {@code capacity / seen} (always while
     * the reservoir is not full), in the place of a uniformly chosen held sequence.
     *
     * @return whether {@code s} was written into a slot
     * @throws IllegalArgumentException when {@code s} does not fit this stream's record shape
     */
    boolean offer(TokenSequence s) throws IOException {
        if (s.length() != length || s.vocabSize() != vocabSize || !s.tokenizer().equals(tokenizer)) {
            throw new IllegalArgumentException("stream '" + stream + "': sequence #" + s.sequence() + " has " + s.length() + " tokens of "
                    + s.tokenizer() + "/" + s.vocabSize() + " but the stream's replay reservoir holds " + length + " tokens of "
                    + tokenizer + "/" + vocabSize + "; a stream's sequences must all have the same length and tokenizer");
        }
        long index = seen++;
        long slot = index < capacity ? index : rng.nextLong(index + 1);
        if (slot >= capacity) {
            return false;
        }
        write(slot, TokenSequenceSerde.encodeFixed(s));
        return true;
    }

    /** The sequence in {@code slot}, which must be in {@code [0, held())}. */
    TokenSequence read(long slot) throws IOException {
        if (slot < 0 || slot >= held()) {
            throw new IndexOutOfBoundsException("slot " + slot + " of stream '" + stream + "' (holds " + held() + ")");
        }
        ByteBuffer b = ByteBuffer.allocate(recordBytes);
        long pos = slot * recordBytes;
        while (b.hasRemaining()) {
            if (file.read(b, pos + b.position()) < 0) {
                throw new EOFException("replay slot file of stream '" + stream + "' ends inside slot " + slot);
            }
        }
        return TokenSequenceSerde.decode(b.array());
    }

    /** Copies the held records to {@code target} (created or truncated) and forces it to disk. */
    void copyTo(Path target) throws IOException {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            long size = held() * recordBytes;
            for (long done = 0; done < size; ) {
                long n = file.transferTo(done, size - done, out);
                if (n <= 0 && file.size() < size) { // transferTo answers 0, not an error, past the end
                    throw new EOFException("replay slot file of stream '" + stream + "' has " + file.size() + " bytes; " + size + " expected");
                }
                done += n;
            }
            out.force(true);
        }
    }

    ReplayState.StreamState state() {
        return new ReplayState.StreamState(stream, tokenizer, vocabSize, length, seen, rng.state());
    }

    StreamStats stats() {
        return new StreamStats(stream, seen, held(), capacity, recordBytes);
    }

    long held() {
        return Math.min(seen, capacity);
    }

    private void write(long slot, byte[] record) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(record);
        long pos = slot * recordBytes;
        while (b.hasRemaining()) {
            file.write(b, pos + b.position());
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
