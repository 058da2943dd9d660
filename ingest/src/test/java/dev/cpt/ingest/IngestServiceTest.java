package dev.cpt.ingest;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.IngestSettings;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka Streams settings the ingest derives from its own. */
class IngestServiceTest {

    /**
     * The stream thread looks at the commit interval only between polls: an idle poll as long as the interval would hold
     * the last documents of a burst back for a second interval before their commit.
     */
    @ParameterizedTest(name = "commit every {0} -> idle poll of {1} ms")
    @CsvSource({
            "10ms, 1",
            "100ms, 10",
            "250ms, 25",
            "1s, 100",
            "30s, 100",
    })
    void shouldPollForATenthOfTheCommitIntervalAtMostKafkasDefault(String commitInterval, long pollMs) {
        Config config = Config.defaults().with(IngestSettings.COMMIT_INTERVAL, commitInterval);

        assertThat(IngestService.streamsProperties(config, "localhost:9092"))
                .containsEntry(StreamsConfig.POLL_MS_CONFIG, pollMs)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.get(IngestSettings.COMMIT_INTERVAL).toMillis());
    }
}
