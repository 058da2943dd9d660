package dev.cpt.ingest.push;

import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, rates and durations for the progress bar and the summary (decimal units, as `ls -h --si`). */
final class Units {

    private Units() {
    }

    /** "512 B", "12.3 kB", "9.3 MB", "1.2 GB". */
    static String bytes(double b) {
        if (b < 1_000) {
            return String.format(Locale.ROOT, "%.0f B", b);
        }
        if (b < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", b / 1e3);
        }
        if (b < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f GB", b / 1e9);
    }

    /** Bytes per second over {@code nanos}; a zero duration counts as one millisecond. */
    static String rate(long bytes, long nanos) {
        return bytes(bytes / (Math.max(nanos, 1_000_000L) / 1e9)) + "/s";
    }

    /** "1.2 s". */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** "0:04", "12:30", "1:02:03". */
    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    /** A time-out as a person writes it: "2 s", "500 ms". */
    static String timeout(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** "1 document", "2 documents". */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
