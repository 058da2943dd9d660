package dev.cpt.ingest.topology;

import dev.cpt.core.format.Document;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.ingest.dedup.ContentHash;
import dev.cpt.ingest.metrics.IngestMetrics;
import dev.cpt.ingest.pack.PackState;
import dev.cpt.ingest.pack.Packer;
import dev.cpt.ingest.tokenize.Tokenizer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;


/**
 * Splits documents into training and held-out by a stable hash of the id, tokenizes them and packs
 * them per stream and split. The remainder and the next sequence number live in a changelogged
 * store, committed in the same transaction as the output: no token is lost or repeated, across
 * restarts too.
 */
final class PackProcessor implements Processor<String, EncodedDocument, String, PackProcessor.Packed> {

    /** A full sequence and which topic it belongs to. */
    record Packed(boolean heldout, TokenSequence sequence) {
    }

    static final String TRAIN = "train";
    static final String HELDOUT = "heldout";

    private final Tokenizer tokenizer;
    private final Packer packer;
    private final double heldoutFraction;
    private final IngestMetrics metrics;
    private ProcessorContext<String, Packed> context;
    private KeyValueStore<String, PackState> states;

    PackProcessor(Tokenizer tokenizer, int sequenceLength, double heldoutFraction, IngestMetrics metrics) {
        this.tokenizer = tokenizer;
        this.packer = new Packer(sequenceLength, tokenizer.eos());
        this.heldoutFraction = heldoutFraction;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Packed> context) {
        this.context = context;
        this.states = context.getStateStore(IngestTopology.PACK_STORE);
    }

    @Override
    public void process(Record<String, EncodedDocument> record) {
        Document doc = record.value().document();
        byte[] utf8 = record.value().utf8();
        boolean heldout = ContentHash.unitInterval(doc.id()) < heldoutFraction;
        String split = heldout ? HELDOUT : TRAIN;
        int[] tokens = tokenizer.encode(doc.text(), utf8);
        metrics.accepted(doc.stream(), utf8.length, tokens.length + 1L, record.timestamp());

        String stateKey = doc.stream() + "/" + split;
        PackState state = states.get(stateKey);
        Packer.Result result = packer.add(state == null ? PackState.EMPTY : state, tokens);
        states.put(stateKey, result.state());
        long seq = result.firstSequence();
        for (int[] s : result.sequences()) {
            TokenSequence ts = new TokenSequence(doc.stream(), seq++, tokenizer.id(), tokenizer.vocabSize(), s);
            context.forward(new Record<>(doc.stream(), new Packed(heldout, ts), record.timestamp()));
        }
        metrics.sequences(doc.stream(), split, result.sequences().size());
    }
}
