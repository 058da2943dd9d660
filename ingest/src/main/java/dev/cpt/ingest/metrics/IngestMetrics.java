package dev.cpt.ingest.metrics;

import dev.cpt.core.format.DlqReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingest's meters. Tags are low-cardinality: stream ids (validated, so bounded by what
 * producers send), outcomes, reasons and splits; never document ids. Rejected records carry no
 * stream tag, since their stream id is exactly what may be wrong.
 *
 * <p>Under exactly-once processing an aborted transaction is processed again, so counters count
 * processing attempts: after a crash they may run slightly ahead of the committed output.
 */
public final class IngestMetrics {

    public static final String DOCUMENTS_IN = "cpt.ingest.documents.in";
    public static final String DOCUMENTS = "cpt.ingest.documents";
    public static final String DEAD_LETTERS = "cpt.ingest.dead.letters";
    public static final String BYTES = "cpt.ingest.bytes";
    public static final String TOKENS = "cpt.ingest.tokens";
    public static final String SEQUENCES = "cpt.ingest.sequences";
    public static final String LATENCY = "cpt.ingest.latency";
    public static final String VALIDATIONS = "cpt.ingest.validations";

    private final MeterRegistry registry;
    private final Counter in;
    private final Timer latency;
    private final Counter validatedAhead;
    private final Counter validatedInline;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.in = Counter.builder(DOCUMENTS_IN).description("Records read from the documents topic").register(registry);
        this.latency = Timer.builder(LATENCY)
                .description("From a document's record timestamp to its tokens being packed")
                .register(registry);
        this.validatedAhead = validations(registry, "lookahead");
        this.validatedInline = validations(registry, "stream");
    }

    private static Counter validations(MeterRegistry registry, String thread) {
        return Counter.builder(VALIDATIONS)
                .description("Records validated and hashed, by the thread that did it: a lookahead worker, or the stream thread itself")
                .tag("thread", thread).register(registry);
    }

    /** A record validated by a lookahead worker ({@code ahead}) or by the stream thread. */
    public void validated(boolean ahead) {
        (ahead ? validatedAhead : validatedInline).increment();
    }

    public void received() {
        in.increment();
    }

    public void deadLettered(DlqReason reason) {
        counter(DEAD_LETTERS, "Records sent to the dead-letter topic, by reason", "reason", reason.code()).increment();
    }

    public void duplicate(String stream) {
        document(stream, "duplicate").increment();
    }

    /** A document that passed validation and dedup and was tokenized. */
    public void accepted(String stream, long bytes, long tokens, long recordTimestampMs) {
        document(stream, "accepted").increment();
        counter(BYTES, "UTF-8 bytes of accepted documents", "stream", stream, "bytes").increment(bytes);
        counter(TOKENS, "Tokens of accepted documents, EOS included", "stream", stream, "tokens").increment(tokens);
        long lag = System.currentTimeMillis() - recordTimestampMs;
        if (lag >= 0) {
            latency.record(Duration.ofMillis(lag));
        }
    }

    public void sequences(String stream, String split, int n) {
        if (n > 0) {
            String key = SEQUENCES + "|" + stream + "|" + split;
            counters.computeIfAbsent(key, k -> Counter.builder(SEQUENCES).description("Packed sequences written")
                    .tags("stream", stream, "split", split).register(registry)).increment(n);
        }
    }

    private Counter document(String stream, String outcome) {
        String key = DOCUMENTS + "|" + stream + "|" + outcome;
        return counters.computeIfAbsent(key, k -> Counter.builder(DOCUMENTS)
                .description("Documents after validation, by stream and outcome")
                .tags("stream", stream, "outcome", outcome).register(registry));
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + "|" + value, k -> Counter.builder(name).description(description)
                .tags(tag, value).register(registry));
    }

    private Counter counter(String name, String description, String tag, String value, String unit) {
        return counters.computeIfAbsent(name + "|" + value, k -> Counter.builder(name).description(description)
                .baseUnit(unit).tags(tag, value).register(registry));
    }
}
