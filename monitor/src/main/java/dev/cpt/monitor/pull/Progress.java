package dev.cpt.monitor.pull;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What a pull tells the person watching. On a terminal each file gets a one-line bar redrawn in
 * place ({@code \r}): name, bytes so far of the total, MB/s. Elsewhere (a pipe, a log file) each
 * file gets one line when it is done. {@link #note} prints a line either way.
 */
public final class Progress {

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanos;

    private String name;
    private long total;
    private long done;
    private long startNanos;
    private long drawnNanos;
    private int drawnWidth;

    /**
     * @param out where to write (stderr for the command)
     * @param terminal whether to draw bars ({@code System.console() != null})
     * @param nanos a clock ({@code System::nanoTime})
     */
    public Progress(PrintWriter out, boolean terminal, LongSupplier nanos) {
        this.out = out;
        this.terminal = terminal;
        this.nanos = nanos;
    }

    /** Says nothing. */
    public static Progress none() {
        return new Progress(new PrintWriter(Writer.nullWriter()), false, System::nanoTime);
    }

    /** A file of {@code total} bytes starts. */
    public void start(String fileName, long totalBytes) {
        name = fileName;
        total = totalBytes;
        done = 0;
        startNanos = nanos.getAsLong();
        drawnNanos = 0;
        if (terminal) {
            draw();
        }
    }

    /** {@code bytes} of the current file have arrived so far. */
    public void advance(long bytes) {
        done = bytes;
        if (terminal && nanos.getAsLong() - drawnNanos >= REDRAW_NANOS) {
            draw();
        }
    }

    /** The current file is complete (and verified). */
    public void done() {
        if (name == null) {
            return;
        }
        if (terminal) {
            draw();
            out.println();
            drawnWidth = 0;
        } else {
            out.println("  " + name + " " + size(done) + " in " + seconds() + " (" + rate() + ")");
        }
        out.flush();
        name = null;
    }

    /** A line of its own (a bar being drawn is ended first). */
    public void note(String message) {
        if (terminal && drawnWidth > 0) {
            out.println();
            drawnWidth = 0;
        }
        out.println(message);
        out.flush();
    }

    private void draw() {
        drawnNanos = nanos.getAsLong();
        int filled = total <= 0 ? BAR : (int) Math.min(BAR, done * BAR / total);
        String line = "  " + name + " [" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] "
                + size(done) + " / " + size(total) + "  " + rate();
        int pad = Math.max(0, drawnWidth - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        drawnWidth = line.length();
    }

    private String seconds() {
        return String.format(Locale.ROOT, "%.1f s", (nanos.getAsLong() - startNanos) / 1e9);
    }

    private String rate() {
        double s = (nanos.getAsLong() - startNanos) / 1e9;
        return s <= 0 ? "- MB/s" : String.format(Locale.ROOT, "%.1f MB/s", done / 1e6 / s);
    }

    /** Bytes for people: {@code 812 B}, {@code 4.1 kB}, {@code 12.3 MB}, {@code 1.2 GB}. */
    public static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        }
        if (bytes < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
