package dev.cpt.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpt.core.format.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** manifest.json: what the trainer writes is what the monitor and {@code cpt pull} read. */
class ManifestTest {

    @TempDir
    Path dir;

    static Manifest decayed() {
        return new Manifest(1, "b000002-f1200", Manifest.Kind.DECAYED, "wsd", 1_700_000_000_000L, 1440, 5_898_240L,
                Map.of("news", 4_000_000L, "code", 1_898_240L), 1200,
                new Manifest.Decay("one-minus-sqrt", 240, 0.0, 3e-4, "mix:news:3,code:1.5", 983_040L, 12.5),
                Map.of("vocabSize", 259L, "context", 256L, "dModel", 64L, "heads", 4L, "layers", 2L, "mlpRatio", 4L, "seed", 7L),
                "byte-v1", 259, Map.of("news", 2.31, "code", 1.87), Map.of("news", 2.45, "code", 1.99), 2.05,
                "law fitted on 4 branches",
                List.of(new FileEntry("model.safetensors", 1234, "ab".repeat(32)), new FileEntry("optim/m.bin", 0, "cd".repeat(32))));
    }

    static Manifest main() {
        return new Manifest(1, "main-000000001200", Manifest.Kind.MAIN, "wsd-s", 1_700_000_000_000L, 1200, 4_915_200L,
                Map.of("news", 4_915_200L), 1200, null, Map.of("vocabSize", 259L), "byte-v1", 259, Map.of("news", 2.45), null, null,
                "no prediction for a main checkpoint", List.of());
    }

    @Test
    void shouldReadBackWhatItWroteForADecayedBranch() throws IOException {
        Manifest m = decayed();

        m.write(dir);

        assertThat(Manifest.read(dir)).isEqualTo(m);
        assertThat(Files.exists(dir.resolve(StoreLayout.MANIFEST))).isTrue();
    }

    @Test
    void shouldKeepNullDecayLossAtForkAndPredictionThroughARoundTrip() throws IOException {
        Manifest m = main();

        m.write(dir);
        Manifest back = Manifest.read(dir);

        assertThat(back).isEqualTo(m);
        assertThat(back.decay()).isNull();
        assertThat(back.mainEvalLossAtFork()).isNull();
        assertThat(back.predictedLoss()).isNull();
        JsonNode json = Json.MAPPER.readTree(dir.resolve(StoreLayout.MANIFEST).toFile());
        assertThat(json.has("decay")).as("null fields are written, not left out").isTrue();
        assertThat(json.get("decay").isNull()).isTrue();
    }

    @Test
    void shouldWriteKindsAsLowerCaseWords() throws IOException {
        assertThat(Json.MAPPER.readTree(decayed().toJson()).get("kind").asText()).isEqualTo("decayed");
        assertThat(Json.MAPPER.readTree(main().toJson()).get("kind").asText()).isEqualTo("main");
        assertThat(Json.MAPPER.writeValueAsString(Manifest.Kind.MAIN)).isEqualTo("\"main\"");
    }

    @Test
    void shouldParseKindWords() {
        assertThat(Manifest.Kind.of("main")).isEqualTo(Manifest.Kind.MAIN);
        assertThat(Manifest.Kind.of("decayed")).isEqualTo(Manifest.Kind.DECAYED);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "MAIN", "Decayed", "branch", " main"})
    void shouldRefuseAnyOtherKindNamingTheAllowedOnes(String word) {
        assertThatThrownBy(() -> Manifest.Kind.of(word))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("main", "decayed", "'" + word + "'");
    }

    @Test
    void shouldRefuseAnUnknownKindInJson() throws IOException {
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(decayed().toJson());
        json.put("kind", "MAIN");

        assertThatThrownBy(() -> Manifest.parse(Json.MAPPER.writeValueAsBytes(json))).isInstanceOf(IOException.class);
    }

    @Test
    void shouldRefuseAnotherFormatVersionNamingBothVersions() {
        Manifest v2 = new Manifest(2, "b000002-f1200", Manifest.Kind.DECAYED, "wsd", 0, 0, 0, Map.of(), 0, null, Map.of(), "byte-v1",
                259, Map.of(), null, null, null, List.of());

        assertThatThrownBy(() -> Manifest.parse(v2.toJson()))
                .isInstanceOf(IOException.class)
                .hasMessageContainingAll("b000002-f1200", "format version 2", "reads 1");
    }

    @Test
    void shouldRefuseANewerFormatByItsVersionEvenWhenItsFieldsChanged() throws IOException {
        // a later format may rename fields or add kinds: the reader must still say "wrong version", not fail on a field
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(decayed().toJson());
        json.put("formatVersion", 2);
        json.put("kind", "merged");
        json.remove("evalLoss");
        json.remove("files");
        Files.write(dir.resolve(StoreLayout.MANIFEST), Json.MAPPER.writeValueAsBytes(json));

        assertThatThrownBy(() -> Manifest.read(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContainingAll("format version 2", "reads 1");
    }

    @Test
    void shouldIgnoreUnknownFields() throws IOException {
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(decayed().toJson());
        json.put("addedLater", "x");
        json.putObject("nested").put("a", 1);
        ((ObjectNode) json.get("decay")).put("warmup", 3);

        assertThat(Manifest.parse(Json.MAPPER.writeValueAsBytes(json))).isEqualTo(decayed());
    }

    @Test
    void shouldRefuseAManifestWithoutIdOrKind() throws IOException {
        ObjectNode noId = (ObjectNode) Json.MAPPER.readTree(decayed().toJson());
        noId.remove("id");
        ObjectNode noKind = (ObjectNode) Json.MAPPER.readTree(decayed().toJson());
        noKind.remove("kind");

        assertThatThrownBy(() -> Manifest.parse(Json.MAPPER.writeValueAsBytes(noId))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Manifest.parse(Json.MAPPER.writeValueAsBytes(noKind))).isInstanceOf(IOException.class);
    }

    @Test
    void shouldWriteTheSameBytesForEqualManifests() {
        // maps are sorted by key, so a manifest's SHA-256 (carried by CheckpointEvent) does not depend on map order
        assertThat(decayed().toJson()).isEqualTo(decayed().toJson());
        assertThat(new String(decayed().toJson(), StandardCharsets.UTF_8)).contains("\"code\"");
        assertThat(new String(decayed().toJson(), StandardCharsets.UTF_8).indexOf("\"code\" : 1.87"))
                .isLessThan(new String(decayed().toJson(), StandardCharsets.UTF_8).indexOf("\"news\" : 2.31"));
    }

    @Test
    void shouldAverageEvalLossOverStreams() {
        assertThat(decayed().meanEvalLoss()).isCloseTo((2.31 + 1.87) / 2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(main().meanEvalLoss()).isEqualTo(2.45);
        assertThat(main().withFiles(List.of()).meanEvalLoss()).isEqualTo(2.45);
        Manifest none = new Manifest(1, "x", Manifest.Kind.MAIN, "wsd", 0, 0, 0, Map.of(), 0, null, Map.of(), "t", 1, Map.of(),
                null, null, null, List.of());
        assertThat(none.meanEvalLoss()).isNaN();
    }

    @Test
    void shouldReplaceOnlyTheFilesWithFiles() {
        List<FileEntry> files = List.of(new FileEntry("model.safetensors", 9, "ef".repeat(32)));

        Manifest m = decayed().withFiles(files);

        assertThat(m.files()).isEqualTo(files);
        assertThat(m.withFiles(decayed().files())).isEqualTo(decayed());
    }
}
