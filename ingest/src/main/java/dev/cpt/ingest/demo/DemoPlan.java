package dev.cpt.ingest.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What {@code cpt standalone --demo} pushes, in order: phases of one synthetic stream each, e.g.
 * 1000 documents of {@code demo-weather} and then 1000 of {@code demo-arith}, so that the model
 * first learns one stream and then, while it learns the next, forgets the first, which the
 * per-stream held-out loss shows.
 *
 * <p>A stream that appears in more than one phase goes on from where its last phase stopped, so a
 * plan never pushes the same document twice.
 *
 * @param phases at least one, in push order
 */
public record DemoPlan(List<Phase> phases) {

    /** Documents per phase of {@link #standard()}: about 2 MB, some 500 steps of 16 x 256 bytes. */
    public static final long STANDARD_PHASE_DOCUMENTS = 1000;

    /**
     * One phase: {@code documents} consecutive documents of one stream.
     *
     * @param stream a {@link SyntheticStream} id
     * @param documents how many, at least 1
     */
    public record Phase(String stream, long documents) {

        public Phase {
            SyntheticStream.require(Objects.requireNonNull(stream, "stream"));
            if (documents < 1) {
                throw new IllegalArgumentException("a phase needs at least one document, got " + documents
                        + " for " + stream);
            }
        }

        @Override
        public String toString() {
            return stream + ":" + documents;
        }
    }

    public DemoPlan {
        phases = List.copyOf(Objects.requireNonNull(phases, "phases"));
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("a demo plan needs at least one phase");
        }
    }

    /**
     * The default demo: {@code demo-weather} then {@code demo-arith}, {@value #STANDARD_PHASE_DOCUMENTS}
     * documents each. Prose first and arithmetic second because their alphabets barely overlap,
     * which makes the forgetting of the first stream plain to see.
     */
    public static DemoPlan standard() {
        return new DemoPlan(List.of(
                new Phase(SyntheticStream.WEATHER.id(), STANDARD_PHASE_DOCUMENTS),
                new Phase(SyntheticStream.ARITH.id(), STANDARD_PHASE_DOCUMENTS)));
    }

    /**
     * Reads a plan written as {@code stream:documents} phases separated by commas, e.g.
     * {@code demo-weather:1000,demo-arith:500} (the form {@link #toString()} writes).
     *
     * @throws IllegalArgumentException naming the offending part
     */
    public static DemoPlan parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        List<Phase> phases = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String p = part.strip();
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new IllegalArgumentException("demo plan phase '" + p + "' is not stream:documents");
            }
            long documents;
            try {
                documents = Long.parseLong(p.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("demo plan phase '" + p + "' has no whole number of documents", e);
            }
            phases.add(new Phase(p.substring(0, colon).strip(), documents));
        }
        return new DemoPlan(phases);
    }

    /** The distinct stream ids of the plan, in order of first appearance. */
    public List<String> streams() {
        return List.copyOf(new LinkedHashSet<>(phases.stream().map(Phase::stream).toList()));
    }

    /** Documents over all phases. */
    public long totalDocuments() {
        return phases.stream().mapToLong(Phase::documents).sum();
    }

    /** Every document of the plan in push order; finite ({@link #totalDocuments()}) and lazy. */
    public Iterator<DemoDocument> documents(long seed) {
        return new Iterator<>() {
            private final Map<String, Long> nextIndex = new HashMap<>();
            private int phase;
            private long leftInPhase = phases.get(0).documents();

            @Override
            public boolean hasNext() {
                return phase < phases.size();
            }

            @Override
            public DemoDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String stream = phases.get(phase).stream();
                long index = nextIndex.merge(stream, 1L, Long::sum) - 1;
                if (--leftInPhase == 0 && ++phase < phases.size()) {
                    leftInPhase = phases.get(phase).documents();
                }
                return SyntheticStreams.document(stream, seed, index);
            }
        };
    }

    /** The plan in the form {@link #parse} reads. */
    @Override
    public String toString() {
        return String.join(",", phases.stream().map(Phase::toString).toList());
    }
}
