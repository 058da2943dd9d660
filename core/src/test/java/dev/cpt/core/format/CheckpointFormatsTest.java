package dev.cpt.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpt.core.store.FileEntry;
import dev.cpt.core.store.Manifest;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON records of cpt.checkpoints and cpt.control. */
class CheckpointFormatsTest {

    private final Serde<CheckpointEvent> events = Json.serde(CheckpointEvent.class);
    private final Serde<BranchRequest> requests = Json.serde(BranchRequest.class);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteAndReadACheckpointEvent() throws Exception {
        CheckpointEvent e = new CheckpointEvent(1_700_000_000_000L, "b000002-f1200", Manifest.Kind.DECAYED, 1440, 1200, 5_898_240L,
                Map.of("news", 4_000_000L, "code", 1_898_240L), Map.of("news", 2.31, "code", 1.87), 2.05,
                "branches/b000002-f1200", "ab".repeat(32));

        byte[] bytes = events.serializer().serialize("cpt.checkpoints", e);

        assertThat(events.deserializer().deserialize("cpt.checkpoints", bytes)).isEqualTo(e);
        JsonNode json = Json.MAPPER.readTree(bytes);
        assertThat(json.get("kind").asText()).isEqualTo("decayed");
        assertThat(json.get("tokensPerStream").toString()).isEqualTo("{\"code\":1898240,\"news\":4000000}");
    }

    @Test
    void shouldKeepANullPredictionOfAMainCheckpointEvent() {
        CheckpointEvent e = new CheckpointEvent(1, "main-000000001200", Manifest.Kind.MAIN, 1200, 1200, 10, Map.of(), Map.of(), null,
                "main/000000001200", "cd".repeat(32));

        byte[] bytes = events.serializer().serialize("t", e);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"kind\":\"main\"");
        assertThat(events.deserializer().deserialize("t", bytes)).isEqualTo(e);
        assertThat(events.deserializer().deserialize("t", bytes).predictedLoss()).isNull();
    }

    @Test
    void shouldBuildACheckpointEventFromItsManifest() {
        Manifest m = new Manifest(1, "b000002-f1200", Manifest.Kind.DECAYED, "wsd", 42L, 1440, 5000, Map.of("news", 5000L), 1200,
                new Manifest.Decay("linear", 240, 0.0, 3e-4, "upcoming", 1000, 1.5), Map.of("seed", 1L), "byte-v1", 259,
                Map.of("news", 2.0), Map.of("news", 2.2), 1.9, null, List.of(new FileEntry("model.safetensors", 1, "ef".repeat(32))));

        CheckpointEvent e = CheckpointEvent.of(m, "branches/b000002-f1200", "ab".repeat(32));

        assertThat(e).isEqualTo(new CheckpointEvent(42L, "b000002-f1200", Manifest.Kind.DECAYED, 1440, 1200, 5000,
                Map.of("news", 5000L), Map.of("news", 2.0), 1.9, "branches/b000002-f1200", "ab".repeat(32)));
    }

    @Test
    void shouldIgnoreUnknownFieldsOfACheckpointEvent() {
        String json = "{\"timestampMs\":5,\"id\":\"main-000000000001\",\"kind\":\"main\",\"step\":1,\"parentMainStep\":1,"
                + "\"tokens\":9,\"tokensPerStream\":{\"news\":9},\"evalLoss\":{\"news\":3.5},\"predictedLoss\":null,"
                + "\"path\":\"main/000000000001\",\"manifestSha256\":\"00\",\"fromTheFuture\":[1,2]}";

        assertThat(events.deserializer().deserialize("t", utf8(json))).isEqualTo(new CheckpointEvent(5, "main-000000000001",
                Manifest.Kind.MAIN, 1, 1, 9, Map.of("news", 9L), Map.of("news", 3.5), null, "main/000000000001", "00"));
    }

    @Test
    void shouldWriteAndReadABranchRequest() {
        BranchRequest r = new BranchRequest("cosine", 500L, 0.25, 0.1, "mix:news:3,code:1.5", "asked by ops");

        byte[] bytes = requests.serializer().serialize("cpt.control", r);

        assertThat(requests.deserializer().deserialize("cpt.control", bytes)).isEqualTo(r);
    }

    @Test
    void shouldReadMissingBranchRequestFieldsAsNulls() {
        assertThat(requests.deserializer().deserialize("t", utf8("{}"))).isEqualTo(BranchRequest.DEFAULTS);
        assertThat(requests.deserializer().deserialize("t", utf8("{\"steps\":100,\"unknown\":true}")))
                .isEqualTo(new BranchRequest(null, 100L, null, null, null, null));
        assertThat(requests.deserializer().deserialize("t", utf8("{\"shape\":\"linear\",\"note\":\"n\"}")))
                .isEqualTo(new BranchRequest("linear", null, null, null, null, "n"));
    }

    @Test
    void shouldWriteAndReadTheDefaultsRequestWithEveryFieldNull() {
        byte[] bytes = requests.serializer().serialize("t", BranchRequest.DEFAULTS);

        assertThat(requests.deserializer().deserialize("t", bytes)).isEqualTo(BranchRequest.DEFAULTS);
        assertThat(BranchRequest.DEFAULTS.shape()).isNull();
        assertThat(BranchRequest.DEFAULTS.steps()).isNull();
        assertThat(BranchRequest.DEFAULTS.fraction()).isNull();
        assertThat(BranchRequest.DEFAULTS.floor()).isNull();
        assertThat(BranchRequest.DEFAULTS.data()).isNull();
        assertThat(BranchRequest.DEFAULTS.note()).isNull();
    }

    @Test
    void shouldPassNullRecordsThroughTheSerde() {
        assertThat(requests.serializer().serialize("t", null)).isNull();
        assertThat(requests.deserializer().deserialize("t", null)).isNull();
    }
}
