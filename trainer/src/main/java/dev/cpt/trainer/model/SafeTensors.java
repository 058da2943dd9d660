package dev.cpt.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Float32 tensors in the <a href="https://huggingface.co/docs/safetensors">safetensors</a> format,
 * the format of cpt's model and optimizer files:
 * <pre>
 *   u64 little-endian N | N bytes of UTF-8 JSON header (space-padded to a multiple of 8) | data
 *   header = {"__metadata__": {string: string}, "&lt;name&gt;": {"dtype": "F32", "shape": [..],
 *             "data_offsets": [begin, end]}, ...}
 * </pre>
 * Offsets are relative to the start of the data; tensors are stored contiguously in header order,
 * row-major, as raw little-endian IEEE-754 floats, so values round-trip bit-exactly. Only F32 is
 * written or read here. Writes are atomic: a temporary file in the same folder, fsync, rename.
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;
    private static final int CHUNK = 1 << 20;

    private SafeTensors() {
    }

    /**
     * Writes {@code tensors} (float32, in map order) and {@code metadata} to {@code file}
     * atomically.
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(file, "file");
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                throw new IllegalArgumentException("tensor name __metadata__ is reserved");
            }
            NDArray a = e.getValue();
            if (a.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("tensor " + name + " is " + a.getDataType() + ", only FLOAT32 is supported");
            }
            ObjectNode t = header.putObject(name);
            t.put("dtype", "F32");
            ArrayNode shape = t.putArray("shape");
            for (long dim : a.getShape().getShape()) {
                shape.add(dim);
            }
            long len = a.size() * 4L;
            t.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(ch, head);
                for (NDArray a : tensors.values()) {
                    writeFloats(ch, a);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Opens {@code file} and parses its header; tensors are read on demand. */
    public static Reader open(Path file) throws IOException {
        return new Reader(file);
    }

    private static void writeFloats(FileChannel ch, NDArray a) throws IOException {
        ByteBuffer raw = a.toByteBuffer().order(ByteOrder.nativeOrder());
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            writeFully(ch, raw);
            return;
        }
        FloatBuffer src = raw.asFloatBuffer();
        ByteBuffer out = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        while (src.hasRemaining()) {
            out.clear();
            while (src.hasRemaining() && out.remaining() >= 4) {
                out.putFloat(src.get());
            }
            out.flip();
            writeFully(ch, out);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform lets a directory be opened; the rename itself is atomic
        }
    }

    /** An open safetensors file. */
    public static final class Reader implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final long dataStart;
        private final Map<String, String> metadata;
        private final Map<String, Entry> entries;

        private record Entry(Shape shape, long begin, long end) {
        }

        private Reader(Path file) throws IOException {
            this.file = file;
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                long size = channel.size();
                if (size < 8) {
                    throw malformed("shorter than 8 bytes");
                }
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                readFully(0, len);
                long n = len.flip().getLong();
                if (n < 2 || n > MAX_HEADER || 8 + n > size) {
                    throw malformed("header length " + n + " does not fit a file of " + size + " bytes");
                }
                ByteBuffer hb = ByteBuffer.allocate((int) n);
                readFully(8, hb);
                JsonNode header;
                try {
                    header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8).trim());
                } catch (IOException e) {
                    throw malformed("header is not JSON: " + e.getMessage());
                }
                if (header == null || !header.isObject()) {
                    throw malformed("header is not a JSON object");
                }
                this.dataStart = 8 + n;
                long dataLen = size - dataStart;
                Map<String, String> meta = new LinkedHashMap<>();
                Map<String, Entry> es = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> f : header.properties()) {
                    if (f.getKey().equals("__metadata__")) {
                        f.getValue().properties().forEach(m -> meta.put(m.getKey(), m.getValue().asText()));
                        continue;
                    }
                    es.put(f.getKey(), entry(f.getKey(), f.getValue(), dataLen));
                }
                this.metadata = Collections.unmodifiableMap(meta);
                this.entries = Collections.unmodifiableMap(es);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        private Entry entry(String name, JsonNode t, long dataLen) throws IOException {
            if (!"F32".equals(t.path("dtype").asText())) {
                throw malformed("tensor " + name + " has dtype " + t.path("dtype") + ", only F32 is supported");
            }
            JsonNode s = t.path("shape");
            JsonNode o = t.path("data_offsets");
            if (!s.isArray() || !o.isArray() || o.size() != 2) {
                throw malformed("tensor " + name + " lacks shape or data_offsets");
            }
            long[] dims = new long[s.size()];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = s.get(i).asLong(-1);
                if (dims[i] < 0) {
                    throw malformed("tensor " + name + " has a negative dimension");
                }
                count = Math.multiplyExact(count, dims[i]);
            }
            long begin = o.get(0).asLong(-1);
            long end = o.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataLen) {
                throw malformed("tensor " + name + " offsets [" + begin + ", " + end + "] outside the "
                        + dataLen + " data bytes");
            }
            if (end - begin != count * 4) {
                throw malformed("tensor " + name + " has " + (end - begin) + " bytes for " + count + " floats");
            }
            return new Entry(new Shape(dims), begin, end);
        }

        private IOException malformed(String why) {
            return new IOException(file + ": not a valid safetensors file: " + why);
        }

        private void readFully(long position, ByteBuffer b) throws IOException {
            long pos = position;
            while (b.hasRemaining()) {
                int r = channel.read(b, pos);
                if (r < 0) {
                    throw malformed("unexpected end of file");
                }
                pos += r;
            }
        }

        /** The {@code __metadata__} map (empty if none). */
        public Map<String, String> metadata() {
            return metadata;
        }

        /** Tensor names in file order. */
        public Set<String> names() {
            return entries.keySet();
        }

        public Shape shape(String name) {
            return entry(name).shape();
        }

        private Entry entry(String name) {
            Entry e = entries.get(name);
            if (e == null) {
                throw new IllegalArgumentException(file + ": no tensor named '" + name + "'");
            }
            return e;
        }

        /** Reads tensor {@code name} into a new float32 array of {@code manager}. */
        public NDArray read(String name, NDManager manager) throws IOException {
            Entry e = entry(name);
            long len = e.end() - e.begin();
            if (len == 0) {
                return manager.zeros(e.shape(), DataType.FLOAT32);
            }
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), len)
                    .order(ByteOrder.LITTLE_ENDIAN);
            return manager.create(mapped.asFloatBuffer(), e.shape(), DataType.FLOAT32);
        }

        /** Reads tensor {@code name} to the host. */
        public float[] readFloats(String name) throws IOException {
            Entry e = entry(name);
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
            readFully(dataStart + e.begin(), b);
            b.flip();
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
