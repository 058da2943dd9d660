package dev.cpt.ingest.bench;

import java.time.Duration;

/**
 * One timed run: how many documents and bytes of document text went through in how long.
 *
 * @param bytes UTF-8 bytes of the documents' text (the same figure for every run of a bench, so that
 *              rates compare)
 */
public record RunResult(String name, long documents, long bytes, Duration elapsed) {

    /** Megabytes as 10^6 bytes. */
    public double megabytes() {
        return bytes / 1e6;
    }

    public double seconds() {
        return elapsed.toNanos() / 1e9;
    }

    public double megabytesPerSecond() {
        return megabytes() / seconds();
    }

    public double documentsPerSecond() {
        return documents / seconds();
    }
}
