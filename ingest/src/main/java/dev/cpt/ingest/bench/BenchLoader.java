package dev.cpt.ingest.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpt.core.config.Config;
import dev.cpt.core.format.DocHeaders;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pushes a bench's documents to the documents topic (not timed): key = stream id, header
 * {@code cpt.format}, value = JSON or raw text; and works out what the ingest must make of them.
 */
public final class BenchLoader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was pushed. */
    public record Loaded(long records, long textBytes, long valueBytes, Duration took, Expectation expectation) {
    }

    private BenchLoader() {
    }

    public static Loaded load(Config config, String bootstrap, String topic, BenchInput input, Expectation expectation) {
        long t0 = System.nanoTime();
        long records = 0;
        long textBytes = 0;
        long valueBytes = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        byte[] format = input.format().getBytes(StandardCharsets.UTF_8);
        boolean json = input.format().equals(DocHeaders.FORMAT_JSON);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(BenchClients.producer(config, bootstrap, "cpt-bench-loader"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            Iterator<BenchDocument> docs = input.documents().get();
            while (docs.hasNext() && failure.get() == null) {
                BenchDocument d = docs.next();
                byte[] key = d.stream().getBytes(StandardCharsets.UTF_8);
                byte[] value = json ? json(d) : d.text().getBytes(StandardCharsets.UTF_8);
                RecordHeaders headers = new RecordHeaders();
                headers.add(DocHeaders.FORMAT, format);
                long text = d.textBytes();
                expectation.add(key, value, headers, text);
                producer.send(new ProducerRecord<>(topic, null, key, value, headers), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                records++;
                textBytes += text;
                valueBytes += value.length;
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("could not push the bench documents to " + topic + ": " + failure.get().getMessage(), failure.get());
        }
        return new Loaded(records, textBytes, valueBytes, Duration.ofNanos(System.nanoTime() - t0), expectation);
    }

    static byte[] json(BenchDocument d) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (d.id() != null) {
            m.put("id", d.id());
        }
        m.put("stream", d.stream());
        m.put("text", d.text());
        try {
            return JSON.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write document " + d.id() + " as JSON", e);
        }
    }
}
