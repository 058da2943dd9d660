package dev.cpt.ingest.topology;

import dev.cpt.core.format.DocHeaders;
import dev.cpt.ingest.lookahead.Lookahead;
import dev.cpt.ingest.metrics.IngestMetrics;
import dev.cpt.ingest.validate.Outcome;
import dev.cpt.ingest.validate.Validator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Validates each raw record. A rejected record keeps its key, value and headers and gains the
 * reason, a detail and its source coordinates as headers; an accepted one drops the producer's
 * headers (they describe the input, not the packed output). Under a {@link Lookahead} the
 * validation has usually run already, on a worker thread.
 */
final class ValidateProcessor implements FixedKeyProcessor<byte[], byte[], Outcome> {

    private final Validator validator;
    private final IngestMetrics metrics;
    private FixedKeyProcessorContext<byte[], Outcome> context;
    /** the task's partition of the documents topic */
    private int partition;

    ValidateProcessor(Validator validator, IngestMetrics metrics) {
        this.validator = validator;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Outcome> context) {
        this.context = context;
        this.partition = context.taskId().partition();
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        metrics.received();
        Outcome outcome = validated(record);
        if (outcome instanceof Outcome.Rejected r) {
            metrics.deadLettered(r.reason());
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            headers.add(DocHeaders.ERROR, utf8(r.reason().code()));
            headers.add(DocHeaders.ERROR_DETAIL, utf8(r.detail()));
            context.recordMetadata().ifPresent((RecordMetadata m) -> {
                headers.add(DocHeaders.SOURCE_TOPIC, utf8(m.topic()));
                headers.add(DocHeaders.SOURCE_PARTITION, utf8(String.valueOf(m.partition())));
                headers.add(DocHeaders.SOURCE_OFFSET, utf8(String.valueOf(m.offset())));
            });
            context.forward(record.withValue(outcome).withHeaders(headers));
        } else {
            context.forward(record.withValue(outcome).withHeaders(new RecordHeaders()));
        }
    }

    /** The record's outcome: validated ahead by the thread's {@link Lookahead} when it has one, else here. */
    private Outcome validated(FixedKeyRecord<byte[], byte[]> record) {
        Lookahead ahead = Lookahead.onThisThread();
        Optional<RecordMetadata> at = context.recordMetadata();
        if (ahead != null && at.isPresent()) {
            ahead.validateWith(at.get().topic(), validator);
            Lookahead.Taken taken = ahead.take(at.get().partition(), at.get().offset(), record.value());
            if (taken != null) {
                metrics.validated(taken.byWorker());
                return taken.outcome();
            }
        }
        metrics.validated(false);
        return validator.validate(record.key(), record.value(), record.headers());
    }

    @Override
    public void close() {
        Lookahead ahead = Lookahead.onThisThread();
        if (ahead != null) {
            ahead.forget(partition);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
