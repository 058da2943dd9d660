package dev.cpt.ingest.topology;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.IngestSettings;
import dev.cpt.core.kafka.Topics;
import dev.cpt.ingest.tokenize.Tokenizer;
import dev.cpt.ingest.tokenize.Tokenizers;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Everything the topology needs, taken from the configuration once. */
public record IngestOptions(Topics topics, int sequenceLength, int sequencesPerRecord, double heldoutFraction, Duration dedupTtl,
                            int maxDocumentBytes, Set<String> allowedStreams, Tokenizer tokenizer) {

    public static IngestOptions from(Config config) {
        String allowed = config.get(IngestSettings.STREAMS_ALLOWED);
        Set<String> streams = allowed.isBlank() ? Set.of()
                : Arrays.stream(allowed.split(",")).map(String::strip).collect(Collectors.toUnmodifiableSet());
        return new IngestOptions(Topics.from(config), config.get(IngestSettings.SEQUENCE_LENGTH), config.get(IngestSettings.SEQUENCES_PER_RECORD),
                config.get(IngestSettings.HELDOUT_FRACTION), config.get(IngestSettings.DEDUP_TTL),
                config.get(IngestSettings.MAX_DOCUMENT_BYTES), streams, Tokenizers.byName(config.get(IngestSettings.TOKENIZER)));
    }
}
