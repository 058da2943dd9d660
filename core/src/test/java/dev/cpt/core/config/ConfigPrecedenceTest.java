package dev.cpt.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Sources, later wins: defaults -> YAML file -> environment CPT_* -> --set key=value. */
class ConfigPrecedenceTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("cpt.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void shouldUseEveryDefaultWhenNoSourceIsGiven() {
        Config config = ConfigLoader.load(Optional.empty(), Map.of(), List.of());

        for (Setting<?> s : Settings.all()) {
            assertThat(config.get(s)).as(s.key()).isEqualTo(s.defaultValue());
            assertThat(config.source(s)).as(s.key()).isEqualTo(Source.DEFAULT);
        }
    }

    @Test
    void shouldTakeNestedYamlKeysFromTheFile() throws IOException {
        Path f = yaml("""
                cpt:
                  kafka:
                    topic:
                      prefix: x
                      partitions: 4
                """);

        Config config = ConfigLoader.load(Optional.of(f), Map.of(), List.of());

        assertThat(config.get(KafkaSettings.TOPIC_PREFIX)).isEqualTo("x");
        assertThat(config.source(KafkaSettings.TOPIC_PREFIX)).isEqualTo(new Source.File(f));
        assertThat(config.get(KafkaSettings.TOPIC_PARTITIONS)).isEqualTo(4);
        assertThat(config.source(KafkaSettings.TOPIC_PARTITIONS)).isEqualTo(new Source.File(f));
        assertThat(config.source(KafkaSettings.TOPIC_RETENTION)).isEqualTo(Source.DEFAULT);
    }

    @Test
    void shouldTakeFlatYamlKeysFromTheFile() throws IOException {
        Path f = yaml("""
                cpt.http.port: 8080
                cpt.shutdown.timeout: 30s
                cpt.data.dir: /var/lib/cpt
                """);

        Config config = ConfigLoader.load(Optional.of(f), Map.of(), List.of());

        assertThat(config.get(CoreSettings.HTTP_PORT)).isEqualTo(8080);
        assertThat(config.get(CoreSettings.SHUTDOWN_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(CoreSettings.DATA_DIR)).isEqualTo(Path.of("/var/lib/cpt"));
        assertThat(config.source(CoreSettings.HTTP_PORT)).isInstanceOf(Source.File.class);
        assertThat(config.source(CoreSettings.HTTP_HOST)).isEqualTo(Source.DEFAULT);
    }

    @Test
    void shouldAcceptPartlyNestedYamlKeys() throws IOException {
        Path f = yaml("""
                cpt.kafka:
                  topic.replication: 3
                  bootstrap:
                    servers: "a:9092,b:9092"
                """);

        Config config = ConfigLoader.load(Optional.of(f), Map.of(), List.of());

        assertThat(config.get(KafkaSettings.TOPIC_REPLICATION)).isEqualTo(3);
        assertThat(config.get(KafkaSettings.BOOTSTRAP_SERVERS)).isEqualTo("a:9092,b:9092");
    }

    @Test
    void shouldKeepDefaultsWhenTheYamlFileIsEmpty() throws IOException {
        Path f = yaml("# nothing set\n");

        Config config = ConfigLoader.load(Optional.of(f), Map.of(), List.of());

        assertThat(config.entries()).allSatisfy(e -> assertThat(e.source()).isEqualTo(Source.DEFAULT));
    }

    @Test
    void shouldLetEnvironmentOverrideFile() throws IOException {
        Path f = yaml("cpt: {kafka: {topic: {prefix: fromfile}}}\n");

        Config config = ConfigLoader.load(Optional.of(f), Map.of("CPT_KAFKA_TOPIC_PREFIX", "fromenv"), List.of());

        assertThat(config.get(KafkaSettings.TOPIC_PREFIX)).isEqualTo("fromenv");
        assertThat(config.source(KafkaSettings.TOPIC_PREFIX)).isEqualTo(new Source.Env("CPT_KAFKA_TOPIC_PREFIX"));
    }

    @Test
    void shouldLetEnvironmentOverrideDefault() {
        Config config = ConfigLoader.load(Optional.empty(), Map.of("CPT_HTTP_PORT", "9999"), List.of());

        assertThat(config.get(CoreSettings.HTTP_PORT)).isEqualTo(9999);
        assertThat(config.source(CoreSettings.HTTP_PORT)).isEqualTo(new Source.Env("CPT_HTTP_PORT"));
    }

    @Test
    void shouldLetSetOverrideEnvironmentAndFile() throws IOException {
        Path f = yaml("cpt.kafka.topic.prefix: fromfile\n");

        Config config = ConfigLoader.load(Optional.of(f), Map.of("CPT_KAFKA_TOPIC_PREFIX", "fromenv"),
                List.of("cpt.kafka.topic.prefix=fromset"));

        assertThat(config.get(KafkaSettings.TOPIC_PREFIX)).isEqualTo("fromset");
        assertThat(config.source(KafkaSettings.TOPIC_PREFIX)).isEqualTo(Source.COMMAND_LINE);
    }

    @Test
    void shouldLetTheLastSetOfTheSameKeyWin() {
        Config config = ConfigLoader.load(Optional.empty(), Map.of(),
                List.of("cpt.http.port=1000", "cpt.http.port=2000"));

        assertThat(config.get(CoreSettings.HTTP_PORT)).isEqualTo(2000);
    }

    @Test
    void shouldTrackTheSourceOfEachSettingSeparately() throws IOException {
        Path f = yaml("cpt.http.port: 8080\n");

        Config config = ConfigLoader.load(Optional.of(f), Map.of("CPT_KAFKA_TOPIC_PREFIX", "env"),
                List.of("cpt.kafka.topic.partitions=12"));

        assertThat(config.source(CoreSettings.HTTP_PORT)).isEqualTo(new Source.File(f));
        assertThat(config.source(KafkaSettings.TOPIC_PREFIX)).isEqualTo(new Source.Env("CPT_KAFKA_TOPIC_PREFIX"));
        assertThat(config.source(KafkaSettings.TOPIC_PARTITIONS)).isEqualTo(Source.COMMAND_LINE);
        assertThat(config.source(CoreSettings.HTTP_HOST)).isEqualTo(Source.DEFAULT);
        assertThat(config.get(CoreSettings.HTTP_PORT)).isEqualTo(8080);
        assertThat(config.get(KafkaSettings.TOPIC_PREFIX)).isEqualTo("env");
        assertThat(config.get(KafkaSettings.TOPIC_PARTITIONS)).isEqualTo(12);
    }

    @Test
    void shouldIgnoreEnvironmentVariablesWithoutTheCptPrefix() {
        Config config = ConfigLoader.load(Optional.empty(),
                Map.of("PATH", "/usr/bin", "HOME", "/root", "HTTP_PORT", "not-a-port"), List.of());

        assertThat(config.entries()).allSatisfy(e -> assertThat(e.source()).isEqualTo(Source.DEFAULT));
    }

    @Test
    void shouldParseTheSameTextTheSameWayFromEverySource() throws IOException {
        Path f = yaml("cpt.shutdown.timeout: 90s\n");

        Duration fromFile = ConfigLoader.load(Optional.of(f), Map.of(), List.of()).get(CoreSettings.SHUTDOWN_TIMEOUT);
        Duration fromEnv = ConfigLoader.load(Optional.empty(), Map.of("CPT_SHUTDOWN_TIMEOUT", "90s"), List.of())
                .get(CoreSettings.SHUTDOWN_TIMEOUT);
        Duration fromSet = ConfigLoader.load(Optional.empty(), Map.of(), List.of("cpt.shutdown.timeout=90s"))
                .get(CoreSettings.SHUTDOWN_TIMEOUT);

        assertThat(List.of(fromFile, fromEnv, fromSet)).containsOnly(Duration.ofSeconds(90));
    }

    @Test
    void shouldSplitSetOnTheFirstEqualsSignOnly() {
        Config config = ConfigLoader.load(Optional.empty(), Map.of(), List.of(" cpt.http.host =a=b"));

        assertThat(config.get(CoreSettings.HTTP_HOST)).isEqualTo("a=b");
    }

    @Test
    void shouldOverrideOneValueAsCommandLineWithConfigWith() {
        Config config = Config.defaults().with(KafkaSettings.TOPIC_PREFIX, "staging");

        assertThat(config.get(KafkaSettings.TOPIC_PREFIX)).isEqualTo("staging");
        assertThat(config.source(KafkaSettings.TOPIC_PREFIX)).isEqualTo(Source.COMMAND_LINE);
        assertThat(config.source(KafkaSettings.TOPIC_PARTITIONS)).isEqualTo(Source.DEFAULT);
    }

    @Test
    void shouldListEntriesSortedByKey() {
        List<String> keys = Config.defaults().entries().stream().map(e -> e.setting().key()).toList();

        assertThat(keys).isSorted().hasSize(Settings.all().size());
    }
}
