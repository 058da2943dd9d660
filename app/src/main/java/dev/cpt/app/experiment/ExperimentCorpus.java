package dev.cpt.app.experiment;

import dev.cpt.core.format.StreamId;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.ingest.bench.BenchDocument;
import dev.cpt.ingest.bench.CorpusException;
import dev.cpt.ingest.bench.CorpusReader;
import dev.cpt.ingest.pack.PackState;
import dev.cpt.ingest.pack.Packer;
import dev.cpt.ingest.tokenize.ByteTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A JSONL corpus made into training sequences the way the ingest makes them: the byte tokenizer,
 * then per stream the packer (documents joined by EOS, cut into sequences of exactly
 * {@code length} tokens, numbered from 0 per stream). The order is the file's order (or a seeded
 * shuffle of the documents), so every run of an experiment sees the same sequences in the same order.
 *
 * @param path where it was read from
 * @param documents documents read
 * @param textBytes UTF-8 bytes of their text
 * @param sequences the packed sequences in order (all streams interleaved as their documents were)
 * @param perStream packed sequences by stream, in order
 */
record ExperimentCorpus(Path path, int documents, long textBytes, List<TokenSequence> sequences,
                        Map<String, List<TokenSequence>> perStream) {

    /**
     * Reads and packs {@code file}.
     *
     * @param shuffleSeed null for the file's order, else the seed of a document shuffle
     * @throws CorpusException when the file is missing or unreadable, a line is not a document, a
     *     stream id is not valid, or the text does not fill a single sequence
     */
    static ExperimentCorpus read(Path file, int length, Long shuffleSeed) {
        List<BenchDocument> docs = new ArrayList<>(CorpusReader.read(file));
        if (shuffleSeed != null) {
            Collections.shuffle(docs, new Random(shuffleSeed));
        }
        ByteTokenizer tokenizer = new ByteTokenizer();
        Packer packer = new Packer(length, tokenizer.eos());
        Map<String, PackState> states = new TreeMap<>();
        List<TokenSequence> all = new ArrayList<>();
        Map<String, List<TokenSequence>> perStream = new LinkedHashMap<>();
        long bytes = 0;
        for (BenchDocument d : docs) {
            if (!StreamId.isValid(d.stream())) {
                throw new CorpusException("corpus " + file + ": document " + (d.id() == null ? "" : d.id() + " ") + "has stream id '"
                        + d.stream() + "', which does not match " + StreamId.RULE);
            }
            if (d.text().isBlank()) {
                continue;
            }
            int[] tokens = tokenizer.encode(d.text());
            bytes += tokens.length;
            Packer.Result r = packer.add(states.getOrDefault(d.stream(), PackState.EMPTY), tokens);
            states.put(d.stream(), r.state());
            long seq = r.firstSequence();
            for (int[] s : r.sequences()) {
                TokenSequence ts = new TokenSequence(d.stream(), seq++, tokenizer.id(), tokenizer.vocabSize(), s);
                all.add(ts);
                perStream.computeIfAbsent(d.stream(), k -> new ArrayList<>()).add(ts);
            }
        }
        if (all.isEmpty()) {
            throw new CorpusException("corpus " + file + " holds no usable text: " + docs.size() + " documents with " + bytes
                    + " bytes of non-blank text do not fill one sequence of " + length + " tokens");
        }
        perStream.replaceAll((k, v) -> List.copyOf(v));
        return new ExperimentCorpus(file, docs.size(), bytes, List.copyOf(all), Map.copyOf(perStream));
    }

    /**
     * At most {@code n} sequences of each stream, evenly spaced over the stream (so that a frozen
     * eval set covers the whole held-out text, not only its first documents), in stream order.
     */
    List<TokenSequence> evenlySpaced(int n) {
        List<TokenSequence> out = new ArrayList<>();
        for (String stream : new TreeMap<>(perStream).keySet()) {
            List<TokenSequence> s = perStream.get(stream);
            int take = Math.min(n, s.size());
            for (int i = 0; i < take; i++) {
                out.add(s.get((int) ((long) i * s.size() / take)));
            }
        }
        return out;
    }

    /** Tokens in the packed sequences. */
    long tokens() {
        return sequences.isEmpty() ? 0 : (long) sequences.size() * sequences.get(0).length();
    }
}
