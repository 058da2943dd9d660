package dev.cpt.core.kafka;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.KafkaSettings;

import java.util.List;

/**
 * The topic names of the flow (DESIGN.md). The constants are the names under the default
 * prefix {@code cpt}; {@link #withPrefix} gives the names under another one.
 */
public record Topics(String docs, String dlq, String heldout, String sequences, String telemetry, String checkpoints,
                     String control) {

    public static final String DOCS = "cpt.docs";
    public static final String DLQ = "cpt.docs.dlq";
    public static final String HELDOUT = "cpt.heldout";
    public static final String SEQUENCES = "cpt.sequences";
    public static final String TELEMETRY = "cpt.telemetry";
    public static final String CHECKPOINTS = "cpt.checkpoints";
    /** Commands to the trainer (branch requests), JSON {@code BranchRequest} values. */
    public static final String CONTROL = "cpt.control";

    public static final Topics DEFAULT = withPrefix("cpt");

    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + ".docs", prefix + ".docs.dlq", prefix + ".heldout", prefix + ".sequences",
                prefix + ".telemetry", prefix + ".checkpoints",
                prefix + ".control");
    }

    public static Topics from(Config config) {
        return withPrefix(config.get(KafkaSettings.TOPIC_PREFIX));
    }

    public List<String> all() {
        return List.of(docs, dlq, heldout, sequences, telemetry, checkpoints, control);
    }
}
