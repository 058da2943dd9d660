package dev.cpt.ingest.topology;

import dev.cpt.core.format.DocHeaders;
import dev.cpt.ingest.metrics.IngestMetrics;
import dev.cpt.ingest.validate.Outcome;
import dev.cpt.ingest.validate.Validator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;

/**
 * Validates each raw record. A rejected record keeps its key, value and headers and gains the
 * reason, a detail and its source coordinates as headers; an accepted one drops the producer's
 * headers (they describe the input, not the packed output).
 */
final class ValidateProcessor implements FixedKeyProcessor<byte[], byte[], Outcome> {

    private final Validator validator;
    private final IngestMetrics metrics;
    private FixedKeyProcessorContext<byte[], Outcome> context;

    ValidateProcessor(Validator validator, IngestMetrics metrics) {
        this.validator = validator;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Outcome> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        metrics.received();
        Outcome outcome = validator.validate(record.key(), record.value(), record.headers());
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

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
