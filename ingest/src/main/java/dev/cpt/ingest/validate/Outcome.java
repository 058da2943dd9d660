package dev.cpt.ingest.validate;

import dev.cpt.core.format.DlqReason;
import dev.cpt.core.format.Document;

/** What validation made of one record of {@code cpt.docs}. */
public sealed interface Outcome {

    /** A valid document, ready for dedup. */
    record Accepted(Document document) implements Outcome {
    }

    /** A rejected record: its original value goes to the dead-letter topic with the reason. */
    record Rejected(DlqReason reason, String detail, byte[] original) implements Outcome {
    }
}
