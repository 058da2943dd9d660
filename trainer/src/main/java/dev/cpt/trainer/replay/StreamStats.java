package dev.cpt.trainer.replay;

/**
 * What one stream's reservoir holds, for telemetry and logs.
 *
 * @param stream the stream id
 * @param seen sequences of the stream offered to the buffer so far
 * @param held sequences in the reservoir now: {@code min(seen, capacity)}
 * @param capacity the most sequences the reservoir holds: capacity bytes / record bytes
 * @param recordBytes bytes per held sequence on disk (its {@code TokenSequence} encoding)
 */
public record StreamStats(String stream, long seen, long held, long capacity, int recordBytes) {

    /** Bytes the reservoir's slot file occupies now; never more than the configured capacity in bytes. */
    public long bytes() {
        return held * recordBytes;
    }
}
