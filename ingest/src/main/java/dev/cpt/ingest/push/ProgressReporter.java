package dev.cpt.ingest.push;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Writes problems, and optionally a one-line progress bar, to stderr.
 *
 * <p>The bar is meant for a terminal only (the caller decides, typically
 * {@code System.console() != null}): it redraws one line with {@code \r}, at most every
 * {@link #INTERVAL_NANOS} (5 times a second), so that a fast push does not spend its time
 * printing. A problem line first clears the bar so that the two never mix on one line.
 * Thread-safe: problems may arrive from the producer's I/O thread.
 */
public final class ProgressReporter implements PushListener {

    /** At most 5 redraws a second. */
    static final long INTERVAL_NANOS = 200_000_000L;
    /** No ETA during the first second: the connection set-up would make it wildly wrong. */
    static final long ETA_AFTER_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final boolean bar;
    private final LongSupplier nanoTime;
    private long lastDraw;
    private int drawnWidth;
    private boolean drawn;

    /**
     * @param err where problems and the bar go (stderr)
     * @param bar whether to draw the progress bar (only on a terminal)
     * @param nanoTime the clock that throttles redraws ({@code System::nanoTime})
     */
    public ProgressReporter(PrintWriter err, boolean bar, LongSupplier nanoTime) {
        this.err = Objects.requireNonNull(err, "err");
        this.bar = bar;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public synchronized void progress(PushProgress p) {
        if (!bar) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (drawn && now - lastDraw < INTERVAL_NANOS) {
            return;
        }
        lastDraw = now;
        String line = render(p);
        // pad with blanks so that a shorter line fully covers the previous one
        err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
        err.flush();
        drawnWidth = line.length();
        drawn = true;
    }

    @Override
    public synchronized void problem(String message) {
        clear();
        err.println(message);
        err.flush();
    }

    @Override
    public synchronized void finished() {
        clear();
    }

    private void clear() {
        if (drawnWidth > 0) {
            err.print("\r" + " ".repeat(drawnWidth) + "\r");
            err.flush();
            drawnWidth = 0;
        }
        drawn = false; // the next progress call redraws at once
    }

    /** e.g. {@code 1234 documents  12.3 MB  8.1 MB/s  45%  ETA 0:04}; percent and ETA only when the total is known, ETA after 1 s. */
    static String render(PushProgress p) {
        StringBuilder b = new StringBuilder()
                .append(Units.count(p.documents(), "document", "documents"))
                .append("  ").append(Units.bytes(p.bytes()))
                .append("  ").append(Units.rate(p.bytes(), p.elapsedNanos()));
        if (p.inputBytesTotal() > 0) {
            double done = Math.min(1.0, (double) p.inputBytesRead() / p.inputBytesTotal());
            b.append(String.format(Locale.ROOT, "  %3.0f%%", done * 100));
            if (p.inputBytesRead() > 0 && p.elapsedNanos() >= ETA_AFTER_NANOS) { // earlier, the rate is mostly start-up
                double perByte = p.elapsedNanos() / 1e9 / p.inputBytesRead();
                long eta = Math.round(perByte * Math.max(0, p.inputBytesTotal() - p.inputBytesRead()));
                b.append("  ETA ").append(Units.clock(eta));
            }
        }
        return b.toString();
    }
}
