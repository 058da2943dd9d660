package dev.cpt.ingest.topology;

import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import dev.cpt.core.format.TokenSequenceWriter;
import dev.cpt.ingest.dedup.ContentHash;
import dev.cpt.ingest.metrics.IngestMetrics;
import dev.cpt.ingest.pack.PackState;
import dev.cpt.ingest.pack.Packer;
import dev.cpt.ingest.tokenize.Tokenizer;
import dev.cpt.ingest.validate.Outcome;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


/**
 * Splits documents into training and held-out by a stable hash of the id, tokenizes them and packs
 * them per stream and split; a document's whole sequences leave in records of up to
 * {@code cpt.ingest.sequences.per.record} (version 3 blocks), because Kafka's cost is per record. The remainder and the next sequence number live in a changelogged
 * store, committed in the same transaction as the output: no token is lost or repeated, across
 * restarts too. A byte-level tokenizer's documents are packed from their UTF-8 bytes straight into
 * the records, with no token array in between.
 */
final class PackProcessor implements Processor<String, Outcome.Accepted, String, PackProcessor.Packed> {

    /** A record of one or more whole sequences, in its binary form ({@link TokenSequenceSerde}), and which topic it belongs to. */
    record Packed(boolean heldout, byte[] sequence) {

        /** Writes the sequence's bytes; the split only chose the topic. Never read back. */
        static final Serde<Packed> SERDE = Serdes.serdeFrom((topic, p) -> p == null ? null : p.sequence(), (topic, bytes) -> {
            throw new UnsupportedOperationException("Packed is written, never read");
        });
    }

    static final String TRAIN = "train";
    static final String HELDOUT = "heldout";

    private final Tokenizer tokenizer;
    private final Packer packer;
    private final int perRecord;
    private final double heldoutFraction;
    private final IngestMetrics metrics;
    /** per stream, for the byte-level path: each holds its stream's record header */
    private final Map<String, TokenSequenceWriter> writers = new HashMap<>();
    private ProcessorContext<String, Packed> context;
    private KeyValueStore<String, PackState> states;

    PackProcessor(Tokenizer tokenizer, int sequenceLength, int perRecord, double heldoutFraction, IngestMetrics metrics) {
        this.tokenizer = tokenizer;
        this.packer = new Packer(sequenceLength, tokenizer.eos());
        this.perRecord = perRecord;
        this.heldoutFraction = heldoutFraction;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Packed> context) {
        this.context = context;
        this.states = context.getStateStore(IngestTopology.PACK_STORE);
    }

    @Override
    public void process(Record<String, Outcome.Accepted> record) {
        Outcome.Accepted doc = record.value();
        byte[] utf8 = doc.utf8();
        boolean heldout = ContentHash.unitInterval(doc.id()) < heldoutFraction;
        String split = heldout ? HELDOUT : TRAIN;
        String stateKey = doc.stream() + "/" + split;
        PackState before = states.get(stateKey);
        PackState state = before == null ? PackState.EMPTY : before;

        long tokens;
        int sequences;
        List<byte[]> records;
        PackState after;
        if (tokenizer.byteLevel()) {
            Packer.Encoded r = packer.addBytes(state, utf8, writers.computeIfAbsent(doc.stream(),
                    s -> new TokenSequenceWriter(s, tokenizer.id(), tokenizer.vocabSize())), perRecord);
            tokens = utf8.length;
            sequences = r.sequences();
            records = r.records();
            after = r.state();
        } else {
            int[] t = tokenizer.encode(doc.text(), utf8);
            Packer.Result r = packer.add(state, t);
            tokens = t.length;
            sequences = r.sequences().size();
            records = new ArrayList<>();
            List<TokenSequence> block = new ArrayList<>(perRecord);
            long seq = r.firstSequence();
            for (int[] s : r.sequences()) {
                block.add(new TokenSequence(doc.stream(), seq++, tokenizer.id(), tokenizer.vocabSize(), s));
                if (block.size() == perRecord) {
                    records.add(TokenSequenceSerde.encodeBlock(block));
                    block.clear();
                }
            }
            if (!block.isEmpty()) {
                records.add(TokenSequenceSerde.encodeBlock(block));
            }
            after = r.state();
        }
        metrics.accepted(doc.stream(), utf8.length, tokens + 1L, record.timestamp());
        states.put(stateKey, after);
        for (byte[] r : records) {
            context.forward(new Record<>(doc.stream(), new Packed(heldout, r), record.timestamp()));
        }
        metrics.sequences(doc.stream(), split, sequences);
    }
}
