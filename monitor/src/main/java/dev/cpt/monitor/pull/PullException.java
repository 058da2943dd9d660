package dev.cpt.monitor.pull;

import java.util.Objects;

/** Why a pull failed, typed so that the command can turn it into an exit code. */
public final class PullException extends Exception {

    /** What went wrong. */
    public enum Kind {
        /** The server refused the token (401 or 403). */
        AUTH,
        /** The server could not be reached, did not answer in time, or the connection broke. */
        UNREACHABLE,
        /** No such alias (or checkpoint) on the server. */
        NOT_FOUND,
        /** A downloaded file's size or SHA-256 differs from the manifest's. */
        CHECKSUM,
        /** The server answered something else than expected (5xx, a malformed answer). */
        SERVER,
        /** Reading or writing the local folder failed. */
        LOCAL
    }

    private final Kind kind;

    public PullException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public PullException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
