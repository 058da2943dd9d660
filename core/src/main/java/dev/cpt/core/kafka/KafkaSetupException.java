package dev.cpt.core.kafka;

/** Kafka could not be set up for cpt (unreachable cluster, refused topic); the message says which and why. */
public final class KafkaSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
