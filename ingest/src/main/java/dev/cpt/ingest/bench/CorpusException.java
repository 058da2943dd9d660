package dev.cpt.ingest.bench;

/** A corpus that cannot be read: missing, empty, or a line that is not a document; the message says where. */
public final class CorpusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
