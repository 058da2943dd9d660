package dev.cpt.ingest.push;

/**
 * The inputs or options of a push cannot work (a missing path, an invalid or missing stream id);
 * found before anything is sent. The message is written for the person at the terminal.
 */
public final class PushInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PushInputException(String message) {
        super(message);
    }
}
