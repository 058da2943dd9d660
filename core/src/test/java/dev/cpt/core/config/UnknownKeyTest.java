package dev.cpt.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unknown keys are rejected wherever they come from, naming the key, the source and the nearest valid key. */
class UnknownKeyTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("cpt.yaml");
        Files.writeString(f, text);
        return f;
    }

    private static String failure(Optional<Path> file, Map<String, String> env, List<String> sets) {
        try {
            ConfigLoader.load(file, env, sets);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void shouldRejectUnknownNestedYamlKeyAndSuggestNearestKey() throws IOException {
        Path f = yaml("""
                cpt:
                  kafka:
                    bootstrap:
                      server: localhost:9092
                """);

        String message = failure(Optional.of(f), Map.of(), List.of());

        assertThat(message)
                .contains("unknown key cpt.kafka.bootstrap.server ")
                .contains("file " + f)
                .contains("did you mean cpt.kafka.bootstrap.servers?");
    }

    @Test
    void shouldRejectUnknownFlatYamlKey() throws IOException {
        Path f = yaml("cpt.http.prot: 8080\n");

        assertThat(failure(Optional.of(f), Map.of(), List.of()))
                .contains("cpt.http.prot", "file " + f, "did you mean cpt.http.port?");
    }

    @Test
    void shouldRejectUnknownSetKeyAndSuggestNearestKey() {
        String message = failure(Optional.empty(), Map.of(), List.of("cpt.kafka.bootstrap.server=localhost:9092"));

        assertThat(message).isEqualTo(
                "unknown key cpt.kafka.bootstrap.server (from --set); did you mean cpt.kafka.bootstrap.servers?");
    }

    @Test
    void shouldRejectUnknownCptEnvironmentVariableAndSuggestNearestVariable() {
        String message = failure(Optional.empty(), Map.of("CPT_KAFKA_BOOTSTRAP_SERVER", "localhost:9092"), List.of());

        assertThat(message)
                .contains("unknown environment variable CPT_KAFKA_BOOTSTRAP_SERVER")
                .contains("did you mean CPT_KAFKA_BOOTSTRAP_SERVERS (cpt.kafka.bootstrap.servers)?");
    }

    @Test
    void shouldNotSuggestAnythingForEnvironmentVariableFarFromEverySetting() {
        String message = failure(Optional.empty(), Map.of("CPT_HOME", "/opt/cpt"), List.of());

        assertThat(message)
                .contains("CPT_HOME")
                .doesNotContain("did you mean")
                .contains("cpt reads every CPT_* variable as a setting");
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "x.y", "cpt.zzz.qqq", "totally.unrelated.thing", "spring.datasource.url"})
    void shouldNotSuggestAnythingForKeyFarFromEverySetting(String key) {
        String message = failure(Optional.empty(), Map.of(), List.of(key + "=1"));

        assertThat(message)
                .startsWith("unknown key " + key + " (from --set)")
                .doesNotContain("did you mean")
                .contains("see config/cpt.yaml for every key");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "cpt.kafka.bootstrap.server,   cpt.kafka.bootstrap.servers",
            "cpt.kafka.bootstrapservers,   cpt.kafka.bootstrap.servers",
            "cpt.http.prot,                cpt.http.port",
            "cpt.kafka.topic.partition,    cpt.kafka.topic.partitions",
            "cpt.kafka.topics.prefix,      cpt.kafka.topic.prefix",
            "cpt.shutdown.timout,          cpt.shutdown.timeout",
            "cpt.data.directory,           cpt.data.dir",
    })
    void shouldSuggestNearestKeyForTypo(String typo, String expected) {
        assertThat(Suggest.nearest(typo, Settings.all().stream().map(Setting::key).toList())).contains(expected);
    }

    @Test
    void shouldMeasureLevenshteinDistance() {
        assertThat(Suggest.distance("", "")).isZero();
        assertThat(Suggest.distance("abc", "abc")).isZero();
        assertThat(Suggest.distance("", "abc")).isEqualTo(3);
        assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggest.distance("sitting", "kitten")).isEqualTo(3);
    }

    @Test
    void shouldSuggestNothingWhenThereAreNoKnownKeys() {
        assertThat(Suggest.nearest("cpt.http.port", List.of())).isEmpty();
    }

    @Test
    void shouldReportEveryUnknownKeyFromEverySourceAtOnce() throws IOException {
        Path f = yaml("cpt.http.prot: 1\n");

        String message = failure(Optional.of(f), Map.of("CPT_HTTP_HOTS", "h"), List.of("cpt.data.dri=x"));

        assertThat(message)
                .startsWith("3 configuration problems:")
                .contains("cpt.http.prot", "CPT_HTTP_HOTS", "cpt.data.dri");
    }

    @Test
    void shouldRejectSetWithoutEqualsSign() {
        assertThat(failure(Optional.empty(), Map.of(), List.of("cpt.http.port")))
                .isEqualTo("--set needs key=value, got 'cpt.http.port'");
        assertThat(failure(Optional.empty(), Map.of(), List.of("=8080")))
                .isEqualTo("--set needs key=value, got '=8080'");
    }

    @Test
    void shouldRejectYamlListValue() throws IOException {
        Path f = yaml("cpt.kafka.bootstrap.servers: [a:1, b:2]\n");

        assertThat(failure(Optional.of(f), Map.of(), List.of()))
                .contains("cpt.kafka.bootstrap.servers", "is a list");
    }

    @Test
    void shouldRejectYamlFileThatIsNotAMapping() throws IOException {
        Path f = yaml("- cpt.http.port\n");

        assertThat(failure(Optional.of(f), Map.of(), List.of()))
                .contains(f.toString(), "must be a YAML mapping");
    }

    @Test
    void shouldRejectYamlFileThatIsNotValidYaml() throws IOException {
        Path f = yaml("cpt.http.port: [unclosed\n");

        assertThat(failure(Optional.of(f), Map.of(), List.of()))
                .contains(f.toString(), "is not valid YAML");
    }

    @Test
    void shouldRejectMissingConfigFileNamingIt() {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(missing), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read config file " + missing);
    }
}
