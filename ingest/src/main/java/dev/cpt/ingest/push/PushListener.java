package dev.cpt.ingest.push;

/**
 * What a push tells the person running it. {@link #problem} may be called from the producer's
 * I/O thread (failed deliveries): implementations must be thread-safe.
 */
public interface PushListener {

    /** Called after each record handed to the producer; implementations throttle their output themselves. */
    void progress(PushProgress progress);

    /** One line about a bad line, a skipped file or a record Kafka did not take. */
    void problem(String message);

    /** The push is over (also after a failure): clear whatever {@link #progress} drew. */
    void finished();

    /** Says nothing: for callers that only want the {@link PushSummary}. */
    PushListener SILENT = new PushListener() {
        @Override
        public void progress(PushProgress progress) {
        }

        @Override
        public void problem(String message) {
        }

        @Override
        public void finished() {
        }
    };
}
