package dev.cpt.ingest.bench;

import dev.cpt.core.format.Document;
import dev.cpt.ingest.dedup.ContentHash;
import dev.cpt.ingest.tokenize.Tokenizer;
import dev.cpt.ingest.topology.IngestOptions;
import dev.cpt.ingest.validate.Outcome;
import dev.cpt.ingest.validate.Validator;
import org.apache.kafka.common.header.Headers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the ingest must make of the records the bench pushes, computed from the exact record bytes
 * with the ingest's rules (docs/formats.md): validation, exact-duplicate drop per stream, the
 * held-out split by id, tokenization and packing. Not thread-safe.
 */
public final class Expectation {

    /** A stream and one of its two output topics. */
    public record Split(String stream, boolean heldout) implements Comparable<Split> {
        @Override
        public int compareTo(Split o) {
            int c = stream.compareTo(o.stream);
            return c != 0 ? c : Boolean.compare(heldout, o.heldout);
        }

        @Override
        public String toString() {
            return stream + "/" + (heldout ? "heldout" : "train");
        }
    }

    private final Validator validator;
    private final Tokenizer tokenizer;
    private final int length;
    private final double heldoutFraction;
    private final Set<ByteBuffer> seen = new HashSet<>();
    private final Map<Split, SequenceDigest> digests = new TreeMap<>();
    private long records;
    private long inputTextBytes;
    private long accepted;
    private long acceptedBytes;
    private long duplicates;
    private long duplicateBytes;
    private long rejected;
    private long rejectedTextBytes;

    public Expectation(IngestOptions options) {
        this.validator = new Validator(options.maxDocumentBytes(), options.allowedStreams());
        this.tokenizer = options.tokenizer();
        this.length = options.sequenceLength();
        this.heldoutFraction = options.heldoutFraction();
    }

    /**
     * Accounts for one record as pushed.
     *
     * @param textBytes UTF-8 bytes of the document's text, for the byte accounting of rejected records
     */
    public void add(byte[] key, byte[] value, Headers headers, long textBytes) {
        records++;
        inputTextBytes += textBytes;
        Outcome outcome = validator.validate(key, value, headers);
        if (!(outcome instanceof Outcome.Accepted a)) {
            rejected++;
            rejectedTextBytes += textBytes;
            return;
        }
        Document doc = a.document();
        long bytes = doc.text().getBytes(StandardCharsets.UTF_8).length;
        if (!seen.add(ByteBuffer.wrap(ContentHash.dedupKey(doc.stream(), doc.text())))) {
            duplicates++;
            duplicateBytes += bytes;
            return;
        }
        accepted++;
        acceptedBytes += bytes;
        boolean heldout = ContentHash.unitInterval(doc.id()) < heldoutFraction;
        SequenceDigest d = digests.computeIfAbsent(new Split(doc.stream(), heldout), s -> new SequenceDigest(length));
        d.add(tokenizer.encode(doc.text()));
        d.add(tokenizer.eos());
    }

    public int sequenceLength() {
        return length;
    }

    public long records() {
        return records;
    }

    public long inputTextBytes() {
        return inputTextBytes;
    }

    public long accepted() {
        return accepted;
    }

    public long acceptedBytes() {
        return acceptedBytes;
    }

    public long duplicates() {
        return duplicates;
    }

    public long duplicateBytes() {
        return duplicateBytes;
    }

    public long rejected() {
        return rejected;
    }

    public long rejectedTextBytes() {
        return rejectedTextBytes;
    }

    /** Tokens of the accepted documents, EOS included. */
    public long tokens() {
        return digests.values().stream().mapToLong(SequenceDigest::tokens).sum();
    }

    /** Whole sequences over both topics. */
    public long sequences() {
        return digests.values().stream().mapToLong(SequenceDigest::sequences).sum();
    }

    public long sequences(boolean heldout) {
        return digests.entrySet().stream().filter(e -> e.getKey().heldout() == heldout).mapToLong(e -> e.getValue().sequences()).sum();
    }

    /** Tokens that fill no whole sequence yet and wait in the ingest's pack state. */
    public long remainderTokens() {
        return digests.values().stream().mapToLong(SequenceDigest::remainder).sum();
    }

    Map<Split, SequenceDigest> digests() {
        return digests;
    }
}
