package dev.cpt.ingest.push;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Sends a {@link DocumentSource} to a topic and says what happened.
 *
 * <p>Records are handed to the producer one at a time as they are read; the producer batches
 * them and blocks when its buffer is full, which is what keeps memory bounded for inputs of any
 * size. A record Kafka does not take is reported and counted ({@link PushSummary#notSent()}). When
 * the reason is the record itself (too large, refused by the broker's validation) the push goes
 * on; any other reason (time-outs, a deleted topic, authorization, a fenced producer) would hit
 * every following record as well, after waiting up to {@code max.block.ms} each, so the push
 * stops sending there ({@link PushSummary#stoppedAt()}). The producer retries transient errors on
 * its own until its delivery time-out, so a failure seen here is final. The producer is flushed
 * before the summary is made, and is not closed: it belongs to the caller.
 */
public final class Pusher {

    /** Send failures printed one by one; beyond that a count, so that a broker outage does not flood the terminal. */
    static final int MAX_REPORTED_FAILURES = 10;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final PushListener listener;
    private final LongSupplier nanoTime;

    public Pusher(Producer<byte[], byte[]> producer, String topic, PushListener listener, LongSupplier nanoTime) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Sends every record of {@code source} (not closed here), flushes, and returns the summary. */
    public PushSummary push(DocumentSource source) {
        long t0 = nanoTime.getAsLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong ackedBytes = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicReference<String> abortedAt = new AtomicReference<>();
        long total = source.totalBytes().orElse(-1);
        try {
            while (abortedAt.get() == null && source.hasNext()) {
                PushRecord r = source.next();
                int size = r.value().length;
                try {
                    producer.send(toProducerRecord(r), (metadata, e) -> {
                        // runs on the producer's I/O thread
                        if (e == null) {
                            acked.incrementAndGet();
                            ackedBytes.addAndGet(size);
                        } else {
                            fail(r.origin(), e, failed, firstError, abortedAt);
                        }
                    });
                } catch (KafkaException e) { // the producer itself is unusable (closed, fatal state)
                    fail(r.origin(), e, failed, firstError, abortedAt);
                }
                listener.progress(new PushProgress(acked.get(), ackedBytes.get(), source.bytesRead(), total,
                        nanoTime.getAsLong() - t0));
            }
            producer.flush();
        } finally {
            listener.finished();
        }
        if (failed.get() > MAX_REPORTED_FAILURES) {
            listener.problem("... and " + (failed.get() - MAX_REPORTED_FAILURES) + " more documents not sent");
        }
        Optional<String> stoppedAt = Optional.ofNullable(abortedAt.get()).or(source::stoppedAt);
        return new PushSummary(topic, acked.get(), ackedBytes.get(), source.files(), source.readStdin(), source.badLines(),
                source.skippedInputs(), failed.get(), Optional.ofNullable(firstError.get()), stoppedAt,
                Duration.ofNanos(nanoTime.getAsLong() - t0));
    }

    private void fail(String origin, Exception e, AtomicLong failed, AtomicReference<String> firstError,
                      AtomicReference<String> abortedAt) {
        String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        firstError.compareAndSet(null, reason);
        if (!(e instanceof RecordTooLargeException || e instanceof InvalidRecordException)) {
            abortedAt.compareAndSet(null, origin);
        }
        if (failed.incrementAndGet() <= MAX_REPORTED_FAILURES) {
            listener.problem(origin + ": not sent (" + reason + ")");
        }
    }

    private ProducerRecord<byte[], byte[]> toProducerRecord(PushRecord r) {
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            headers.add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(topic, null, r.key().getBytes(StandardCharsets.UTF_8), r.value(), headers);
    }
}
