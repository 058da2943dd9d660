package dev.cpt.trainer.replay;

import dev.cpt.core.format.StreamId;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Everything about a replay buffer that is not in its slot files: the file {@code replay.state}
 * of a checkpoint. Binary, big-endian:
 * <pre>
 * magic "CPTREPLY" | version i32 = 1 | capacity bytes per stream i64 | seed i64 | sampler state i64
 * stream count i32 | per stream (in id order): id UTF | tokenizer UTF | vocab size i32
 *                    | tokens per sequence i32 | sequences seen i64 | RNG state i64
 * CRC-32 of all the bytes before it, i64
 * </pre>
 * Slot counts and record sizes are derived from these fields rather than stored, so they cannot
 * disagree with them.
 *
 * @param capacityBytes the configured capacity of each stream's reservoir, in bytes
 * @param seed the seed the buffer was created with (per-stream generators derive from it)
 * @param samplerState the state of the buffer's own sampling generator
 * @param streams one entry per stream, in stream id order
 */
record ReplayState(long capacityBytes, long seed, long samplerState, List<StreamState> streams) {

    static final int VERSION = 1;
    private static final byte[] MAGIC = {'C', 'P', 'T', 'R', 'E', 'P', 'L', 'Y'};

    ReplayState {
        streams = List.copyOf(streams);
    }

    /**
     * One stream's reservoir.
     *
     * @param seen sequences offered so far (the {@code n} of reservoir sampling)
     * @param rngState the state of the stream's reservoir generator
     */
    record StreamState(String stream, String tokenizer, int vocabSize, int length, long seen, long rngState) {
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(capacityBytes);
            out.writeLong(seed);
            out.writeLong(samplerState);
            out.writeInt(streams.size());
            for (StreamState s : streams) {
                out.writeUTF(s.stream());
                out.writeUTF(s.tokenizer());
                out.writeInt(s.vocabSize());
                out.writeInt(s.length());
                out.writeLong(s.seen());
                out.writeLong(s.rngState());
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
    }

    /** Writes {@code file} durably: to a temporary name, forced to disk, then renamed into place. */
    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (ByteBuffer b = ByteBuffer.wrap(encode()); b.hasRemaining(); ) {
                out.write(b);
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Reads {@code file}, refusing a missing file, another version, or damaged bytes with a message
     * that names the file.
     */
    static ReplayState read(Path file) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no replay buffer state at " + file + ": not a replay checkpoint directory, or an incomplete one", e);
        }
        if (data.length < MAGIC.length + 4 + 8 || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException(file + " is not a replay buffer state file (bad magic)");
        }
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 8);
        long stored = ByteBuffer.wrap(data, data.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException(file + " is damaged: its CRC-32 does not match its contents");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, MAGIC.length, data.length - MAGIC.length - 8));
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException(file + " has replay state version " + version + "; this cpt reads version " + VERSION);
        }
        long capacity = in.readLong();
        long seed = in.readLong();
        long sampler = in.readLong();
        int n = in.readInt();
        if (n < 0) {
            throw new IOException(file + " is damaged: stream count " + n);
        }
        List<StreamState> streams = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StreamState s = new StreamState(in.readUTF(), in.readUTF(), in.readInt(), in.readInt(), in.readLong(), in.readLong());
            if (!StreamId.isValid(s.stream()) || s.length() < 0 || s.vocabSize() <= 0 || s.seen() < 1) { // ids become file names
                throw new IOException(file + " is damaged: stream entry " + s);
            }
            streams.add(s);
        }
        if (in.available() != 0) {
            throw new IOException(file + " is damaged: " + in.available() + " bytes after the last stream");
        }
        return new ReplayState(capacity, seed, sampler, streams);
    }
}
