package dev.cpt.monitor.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.cpt.monitor.registry.CheckpointFile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Sends a checkpoint file: {@code ETag} = the manifest's SHA-256, {@code If-None-Match} (304),
 * one {@code Range} (206, or 416 with {@code Content-Range: bytes *}{@code /size}), {@code If-Range}.
 * The file is streamed from its channel in 256 KiB pieces, never read whole.
 */
final class FileResponder {

    private static final int CHUNK = 256 * 1024;

    private FileResponder() {
    }

    static void send(HttpExchange ex, CheckpointFile file) throws IOException {
        String etag = Http.quote(file.entry().sha256());
        Headers in = ex.getRequestHeaders();
        Headers out = ex.getResponseHeaders();
        out.set("ETag", etag);
        out.set("Accept-Ranges", "bytes");
        out.set("Cache-Control", "no-cache");
        if (Http.noneMatchHits(in.getFirst("If-None-Match"), etag)) {
            Http.empty(ex, 304);
            return;
        }
        try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            long size = ch.size();
            String ifRange = in.getFirst("If-Range");
            ByteRange range = ifRange != null && !ifRange.strip().equals(etag)
                    ? new ByteRange.Whole() : ByteRange.parse(in.getFirst("Range"), size);
            if (range instanceof ByteRange.Unsatisfiable) {
                out.set("Content-Range", "bytes */" + size);
                Http.error(ex, 416, "the range " + in.getFirst("Range") + " lies outside the file's " + size + " bytes");
                return;
            }
            long first = 0;
            long length = size;
            int status = 200;
            if (range instanceof ByteRange.Part p) {
                first = p.first();
                length = p.length();
                status = 206;
                out.set("Content-Range", p.contentRange(size));
            }
            out.set("Content-Type", "application/octet-stream");
            try (ex) {
                ex.sendResponseHeaders(status, length == 0 ? -1 : length);
                if (length > 0) {
                    try (OutputStream os = ex.getResponseBody()) {
                        copy(ch, first, length, os);
                    }
                }
            }
        }
    }

    private static void copy(FileChannel ch, long from, long length, OutputStream os) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, length));
        long pos = from;
        long left = length;
        while (left > 0) {
            buf.clear().limit((int) Math.min(buf.capacity(), left));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("the file ended " + left + " bytes early (changed while being sent?)");
            }
            os.write(buf.array(), 0, n);
            pos += n;
            left -= n;
        }
    }
}
