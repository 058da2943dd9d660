package dev.cpt.ingest.push;

/**
 * Where a push stands.
 *
 * @param documents records the broker has acknowledged
 * @param bytes value bytes of those records
 * @param inputBytesRead input consumed so far (what the ETA is computed from)
 * @param inputBytesTotal the inputs' total size, or -1 when unknown (stdin)
 * @param elapsedNanos time since the push started
 */
public record PushProgress(long documents, long bytes, long inputBytesRead, long inputBytesTotal, long elapsedNanos) {
}
