package dev.cpt.monitor.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Range} header against a file of {@code size} bytes (RFC 9110 section 14): one range
 * {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}. Several ranges, another unit or a
 * malformed header are answered with the whole file, as the RFC allows.
 */
sealed interface ByteRange {

    /** The whole file: no header, or one we answer with 200. */
    record Whole() implements ByteRange {
    }

    /** Bytes {@code first..last}, both included. */
    record Part(long first, long last) implements ByteRange {
        long length() {
            return last - first + 1;
        }

        String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    /** 416: no byte of the file is in the range. */
    record Unsatisfiable() implements ByteRange {
    }

    Pattern ONE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    static ByteRange parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        Matcher m = ONE.matcher(header.strip());
        if (!m.matches()) {
            return new Whole(); // several ranges, another unit, or not a range at all
        }
        String a = m.group(1);
        String b = m.group(2);
        if (a.isEmpty() && b.isEmpty()) {
            return new Whole();
        }
        if (a.isEmpty()) { // the last n bytes
            long n = Long.parseLong(b);
            if (n == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Part(Math.max(0, size - n), size - 1);
        }
        long first = Long.parseLong(a);
        if (!b.isEmpty() && Long.parseLong(b) < first) {
            return new Whole(); // syntactically invalid: ignored
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        return new Part(first, b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1));
    }
}
