package dev.cpt.ingest.push;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a push did.
 *
 * @param topic where the records went
 * @param documents records the broker acknowledged
 * @param bytes value bytes of those records
 * @param files files read (stdin not counted)
 * @param stdin whether stdin was read
 * @param badLines JSONL lines reported and not sent
 * @param skippedInputs files (or stdin) reported and not sent (unreadable, too large)
 * @param notSent records Kafka did not take (delivery failed or timed out)
 * @param firstSendError the reason of the first record Kafka did not take
 * @param stoppedAt where the push stopped early: the bad line under {@link BadLinePolicy#STOP}, or the
 *     record whose send failed so that nothing more could be sent
 * @param elapsed from the first record read to the last one acknowledged
 */
public record PushSummary(String topic, long documents, long bytes, int files, boolean stdin, long badLines,
                          int skippedInputs, long notSent, Optional<String> firstSendError, Optional<String> stoppedAt,
                          Duration elapsed) {

    public PushSummary {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(firstSendError, "firstSendError");
        Objects.requireNonNull(stoppedAt, "stoppedAt");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Every input was read and every record was acknowledged; skipped bad lines do not count against it. */
    public boolean complete() {
        return notSent == 0 && skippedInputs == 0 && stoppedAt.isEmpty();
    }

    /**
     * The one summary line, e.g.
     * {@code pushed 210 documents (9.3 MB) from 1 file to cpt.docs in 1.2 s (7.8 MB/s); 0 bad lines}.
     */
    public String line() {
        long nanos = elapsed.toNanos();
        StringBuilder b = new StringBuilder("pushed ")
                .append(Units.count(documents, "document", "documents"))
                .append(" (").append(Units.bytes(bytes)).append(") from ").append(sources())
                .append(" to ").append(topic)
                .append(" in ").append(Units.seconds(nanos))
                .append(" (").append(Units.rate(bytes, nanos)).append("); ")
                .append(Units.count(badLines, "bad line", "bad lines"));
        if (skippedInputs > 0) {
            b.append("; ").append(Units.count(skippedInputs, "input", "inputs")).append(" skipped");
        }
        if (notSent > 0) {
            b.append("; ").append(notSent).append(" not sent");
        }
        stoppedAt.ifPresent(s -> b.append("; stopped at ").append(s));
        return b.toString();
    }

    private String sources() {
        String f = Units.count(files, "file", "files");
        if (stdin) {
            return files == 0 ? "stdin" : f + " and stdin";
        }
        return f;
    }
}
