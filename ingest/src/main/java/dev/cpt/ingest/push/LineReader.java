package dev.cpt.ingest.push;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it, so that a JSONL line is sent exactly as it
 * was read (a decode/encode round trip would silently rewrite invalid UTF-8).
 *
 * <p>A line ends at {@code \n}; a {@code \r} just before it is part of the line end, not of the
 * line. Memory stays bounded by {@code maxLineBytes}: a longer line is consumed but not kept, and
 * comes back as {@link Line#tooLong()}. Not thread-safe; does not close the stream.
 */
final class LineReader {

    /**
     * One line.
     *
     * @param number 1-based line number
     * @param bytes the line without its line end, or {@code null} when it was longer than the limit
     * @param length the line's length in bytes without its line end (also when too long)
     */
    record Line(long number, byte[] bytes, long length) {
        boolean tooLong() {
            return bytes == null;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[8 * 1024];
    private long number;
    private long consumed;
    private boolean eof;

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line, or {@code null} at the end of the stream. */
    Line next() throws IOException {
        long length = 0;
        boolean any = false;
        byte last = 0;
        while (true) {
            if (pos >= limit) {
                if (eof) {
                    break;
                }
                int n = in.read(chunk);
                if (n < 0) {
                    eof = true;
                    break;
                }
                pos = 0;
                limit = n;
                continue;
            }
            any = true;
            int nl = indexOfNewline(pos, limit);
            int end = nl < 0 ? limit : nl;
            int n = end - pos;
            if (n > 0) {
                if (length + n <= maxLineBytes + 1L) { // +1: room for a '\r' that turns out to be the line end
                    ensureCapacity((int) length + n);
                    System.arraycopy(chunk, pos, line, (int) length, n);
                }
                last = chunk[end - 1];
                length += n;
            }
            consumed += nl < 0 ? n : n + 1;
            pos = nl < 0 ? limit : nl + 1;
            if (nl >= 0) {
                break;
            }
        }
        if (!any) {
            return null;
        }
        number++;
        if (length > 0 && last == '\r') {
            length--;
        }
        return length > maxLineBytes ? new Line(number, null, length) : new Line(number, Arrays.copyOf(line, (int) length), length);
    }

    /** Bytes consumed so far, line ends included: the progress through the input. */
    long consumed() {
        return consumed;
    }

    private int indexOfNewline(int from, int to) {
        for (int i = from; i < to; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void ensureCapacity(int needed) {
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, (int) Math.min((long) line.length * 2, maxLineBytes + 1L)));
        }
    }
}
