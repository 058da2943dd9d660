package dev.cpt.ingest.topology;

import dev.cpt.ingest.metrics.IngestMetrics;
import dev.cpt.ingest.pack.PackState;
import dev.cpt.ingest.validate.Outcome;
import dev.cpt.ingest.validate.Validator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/**
 * The ingest topology (DESIGN.md): {@code cpt.docs} -> validate (rejects to {@code cpt.docs.dlq})
 * -> key by stream -> dedup -> held-out split, tokenize, pack -> {@code cpt.sequences} /
 * {@code cpt.heldout}. Every processor, store and internal topic is named, so that the topology
 * keeps its state and topics when it changes.
 */
public final class IngestTopology {

    public static final String DEDUP_STORE = "ingest-dedup-store";
    public static final String PACK_STORE = "ingest-pack-store";
    /** Internal topic (prefixed by the application id) for documents whose record key is not their stream. */
    public static final String REPARTITION = "docs-by-stream";

    private IngestTopology() {
    }

    /**
     * Adds the ingest to {@code builder}.
     *
     * @param docsPartitions the partition count of {@code cpt.docs} as it is on the cluster: a record
     *                       skips the repartition topic only on the partition that count implies
     */
    public static void build(StreamsBuilder builder, IngestOptions options, int docsPartitions, IngestMetrics metrics) {
        Serde<Outcome.Accepted> documents = DocumentSerde.accepted();
        Validator validator = new Validator(options.maxDocumentBytes(), options.allowedStreams());

        // Not cached: every key is new but for the duplicates, so a cache would save no write, and looking up
        // through it (merging its entries with the segments') cost the stream thread 0.07 s per 300 MB bench window,
        // a seventh of its CPU, plus flushing it at every commit
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DEDUP_STORE, options.dedupTtl(), options.dedupTtl(), false),
                Serdes.Bytes(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PACK_STORE), Serdes.String(), PackState.serde())
                // cached: one changelog write per stream and commit instead of one per document
                .withCachingEnabled());

        Map<String, KStream<byte[], Outcome>> routed = builder
                .stream(options.topics().docs(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("docs-source"))
                .processValues(() -> new ValidateProcessor(validator, metrics), Named.as("validate"))
                .split(Named.as("route-"))
                .branch((k, v) -> v instanceof Outcome.Rejected, Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));

        routed.get("route-rejected")
                .mapValues(v -> ((Outcome.Rejected) v).original(), Named.as("dlq-original"))
                .to(options.topics().dlq(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dlq-sink"));

        // Records keyed by their stream on the partition Kafka's default partitioner gives that key (as
        // cpt push sends them) are where the repartition topic would put them; only the others pay
        // for a trip through it.
        Map<String, KStream<byte[], PlaceProcessor.Placed>> keyed = routed.get("route-accepted")
                .processValues(() -> new PlaceProcessor(docsPartitions), Named.as("document"))
                .split(Named.as("keyed-"))
                .branch((k, p) -> p.onStreamPartition(), Branched.as("by-stream"))
                .defaultBranch(Branched.as("other"));
        KStream<String, Outcome.Accepted> rekeyed = keyed.get("keyed-other")
                .map(IngestTopology::byStream, Named.as("key-by-stream"))
                .repartition(Repartitioned.with(Serdes.String(), documents).withName(REPARTITION));
        KStream<String, Outcome.Accepted> byStream = keyed.get("keyed-by-stream")
                .map(IngestTopology::byStream, Named.as("stream-key"))
                .merge(rekeyed, Named.as("merge-by-stream"));

        // One sink for both topics, chosen per record: a record passes through no split or mapping node
        // on its way out, and there are about 180 sequences per document of 46 kB (3 records of 64).
        // The values are TokenSequence records already in their binary form (TokenSequenceSerde).
        String train = options.topics().sequences();
        String heldout = options.topics().heldout();
        byStream
                .processValues(() -> new DedupProcessor(options.dedupTtl(), metrics), Named.as("dedup"), DEDUP_STORE)
                .process(() -> new PackProcessor(options.tokenizer(), options.sequenceLength(), options.sequencesPerRecord(),
                                options.heldoutFraction(), metrics),
                        Named.as("pack"), PACK_STORE)
                .to((key, packed, context) -> packed.heldout() ? heldout : train,
                        Produced.with(Serdes.String(), PackProcessor.Packed.SERDE).withName("sequences-sink"));
    }

    /** The document keyed by its stream id. */
    private static KeyValue<String, Outcome.Accepted> byStream(byte[] key, PlaceProcessor.Placed placed) {
        return KeyValue.pair(placed.document().stream(), placed.document());
    }
}
