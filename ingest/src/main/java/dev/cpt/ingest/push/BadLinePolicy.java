package dev.cpt.ingest.push;

/** What {@code cpt push} does with a JSONL line it cannot send ({@code --on-bad-line}). */
public enum BadLinePolicy {
    /** Report the line on stderr and go on with the next one (the default). */
    SKIP,
    /** Report the line and send nothing more; the records read before it have been sent. */
    STOP
}
