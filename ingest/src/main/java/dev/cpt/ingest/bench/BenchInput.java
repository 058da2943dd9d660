package dev.cpt.ingest.bench;

import dev.cpt.core.format.DocHeaders;
import dev.cpt.ingest.demo.DemoDocument;
import dev.cpt.ingest.demo.SyntheticStream;
import dev.cpt.ingest.demo.SyntheticStreams;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * The documents a bench pushes, and how they travel on {@code cpt.docs}.
 *
 * @param description a few words for the report, e.g. the corpus path
 * @param format      {@link DocHeaders#FORMAT_JSON} (the value is {@code {"id","stream","text"}}) or
 *                    {@link DocHeaders#FORMAT_TEXT} (the value is the text; the ingest derives the id)
 * @param targetBytes how many bytes of text to push, at least (the last document may go past it)
 * @param documents   gives the documents; called once per bench
 */
public record BenchInput(String description, String format, long targetBytes, java.util.function.Supplier<Iterator<BenchDocument>> documents) {

    /** Seed of the synthetic documents: fixed, so that every bench pushes the same bytes. */
    public static final long SYNTHETIC_SEED = 20261123L;

    public BenchInput {
        if (!format.equals(DocHeaders.FORMAT_JSON) && !format.equals(DocHeaders.FORMAT_TEXT)) {
            throw new IllegalArgumentException("format must be json or text: " + format);
        }
        if (targetBytes <= 0) {
            throw new IllegalArgumentException("targetBytes must be > 0: " + targetBytes);
        }
    }

    /**
     * The documents of a {@code .jsonl} file or directory ({@link CorpusReader}) as JSON records, cycled
     * until {@code targetBytes}, each repeat made unique.
     *
     * @throws CorpusException when the corpus cannot be read
     */
    public static BenchInput corpus(Path fileOrDir, long targetBytes) {
        List<BenchDocument> docs = CorpusReader.read(fileOrDir);
        return new BenchInput(fileOrDir.toString(), DocHeaders.FORMAT_JSON, targetBytes, () -> CorpusReader.cycle(docs, targetBytes));
    }

    /**
     * The built-in synthetic streams ({@link SyntheticStreams}), interleaved one document of each in
     * turn, as raw-text records keyed by stream (as the demo producer sends them).
     */
    public static BenchInput synthetic(long targetBytes) {
        List<SyntheticStream> streams = List.of(SyntheticStream.values());
        return new BenchInput("synthetic streams " + String.join(", ", SyntheticStream.ids()), DocHeaders.FORMAT_TEXT, targetBytes,
                () -> BenchDocument.untilBytes(targetBytes, i -> {
                    SyntheticStream s = streams.get((int) (i % streams.size()));
                    DemoDocument d = SyntheticStreams.document(s.id(), SYNTHETIC_SEED, i / streams.size());
                    return new BenchDocument(d.id(), d.stream(), d.text());
                }));
    }
}
