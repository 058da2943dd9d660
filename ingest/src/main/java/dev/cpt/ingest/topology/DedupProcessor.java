package dev.cpt.ingest.topology;

import dev.cpt.ingest.metrics.IngestMetrics;
import dev.cpt.ingest.validate.Outcome;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;

/**
 * Drops exact duplicates per stream and passes the others on. The store is
 * a window store whose retention is the TTL: old hashes expire segment by segment as stream time
 * advances, which bounds its size without a scan.
 */
final class DedupProcessor implements FixedKeyProcessor<String, Outcome.Accepted, Outcome.Accepted> {

    private final Duration ttl;
    private final IngestMetrics metrics;
    private FixedKeyProcessorContext<String, Outcome.Accepted> context;
    private WindowStore<Bytes, Long> seen;

    DedupProcessor(Duration ttl, IngestMetrics metrics) {
        this.ttl = ttl;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Outcome.Accepted> context) {
        this.context = context;
        this.seen = context.getStateStore(IngestTopology.DEDUP_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, Outcome.Accepted> record) {
        Outcome.Accepted doc = record.value();
        Bytes key = Bytes.wrap(record.value().dedupKey());
        long now = record.timestamp();
        try (WindowStoreIterator<Long> hits = seen.fetch(key, now - ttl.toMillis(), now + ttl.toMillis())) {
            if (hits.hasNext()) {
                metrics.duplicate(doc.stream());
                return;
            }
        }
        seen.put(key, now, now);
        context.forward(record);
    }
}
