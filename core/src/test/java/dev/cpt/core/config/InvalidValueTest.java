package dev.cpt.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad value is reported with its key, its text, its source and the rule it breaks. */
class InvalidValueTest {

    @TempDir
    Path dir;

    private static String failure(Optional<Path> file, Map<String, String> env, List<String> sets) {
        try {
            ConfigLoader.load(file, env, sets);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @ParameterizedTest(name = "{0}=''{1}'' -> {2}")
    @CsvSource(delimiter = '|', value = {
            "cpt.http.port               | 70000        | must be a TCP port between 0 and 65535",
            "cpt.http.port               | -1           | between 0 and 65535",
            "cpt.http.port               | abc          | not an integer; expected integer",
            "cpt.http.port               | 80.5         | not an integer",
            "cpt.kafka.broker.port       | 99999999999  | not an integer",
            "cpt.http.host               | '   '        | must be not empty",
            "cpt.data.dir                | ''           | empty path; expected path",
            "cpt.shutdown.timeout        | soon         | not a duration (e.g. 250ms, 30s, 5m, 2h, 7d); expected duration, at least 1s",
            "cpt.shutdown.timeout        | 1.5h         | not a duration",
            "cpt.shutdown.timeout        | 500ms        | must be at least 1s",
            "cpt.kafka.topic.retention   | 30s          | must be at least 1m",
            "cpt.kafka.topic.partitions  | 0            | must be between 1 and 10000",
            "cpt.kafka.topic.replication | 0            | must be -1 or between 1 and 32",
            "cpt.kafka.topic.replication | 33           | must be -1 or between 1 and 32",
            "cpt.kafka.topic.prefix      | a..b         | separated by single dots",
            "cpt.kafka.topic.prefix      | my topics    | separated by single dots",
            "cpt.kafka.bootstrap.servers | localhost    | must be empty, or host:port[,host:port...]",
            "cpt.kafka.bootstrap.servers | a:9092,      | empty, or host:port",
            "cpt.kafka.bootstrap.servers | a:9092,,b:1  | empty, or host:port",
            "cpt.kafka.bootstrap.servers | a:port       | empty, or host:port",
            "cpt.kafka.bootstrap.servers | a b:9092     | empty, or host:port",
            "cpt.kafka.bootstrap.servers | a:99999      | ports 1..65535",
            "cpt.kafka.bootstrap.servers | a:0          | ports 1..65535",
    })
    void shouldNameKeyValueSourceAndRuleForBadSetValue(String key, String value, String rule) {
        String message = failure(Optional.empty(), Map.of(), List.of(key + "=" + value));

        assertThat(message)
                .startsWith("invalid value for " + key + ": '" + value + "' (from --set) ")
                .contains(rule);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {
            "''",
            "localhost:9092",
            "a:9092,b:9093",
            "a:9092 , b:9093",
            "kafka-0.kafka.svc.cluster.local:9092",
            "10.0.0.1:9092",
            "[::1]:9092",
            "[fe80::1]:9092,b:9093",
    })
    void shouldAcceptEmptyOrHostPortListForBootstrapServers(String value) {
        Config config = ConfigLoader.load(Optional.empty(), Map.of(), List.of("cpt.kafka.bootstrap.servers=" + value));

        assertThat(config.get(KafkaSettings.BOOTSTRAP_SERVERS)).isEqualTo(value);
    }

    @Test
    void shouldRejectPortAboveRangeWithExactMessage() {
        assertThat(failure(Optional.empty(), Map.of(), List.of("cpt.http.port=70000"))).isEqualTo(
                "invalid value for cpt.http.port: '70000' (from --set) must be a TCP port between 0 and 65535 (0 = pick a free one)");
    }

    @Test
    void shouldNameTheFileForBadYamlValue() throws IOException {
        Path f = dir.resolve("cpt.yaml");
        Files.writeString(f, "cpt:\n  http:\n    port: 70000\n");

        assertThat(failure(Optional.of(f), Map.of(), List.of()))
                .contains("cpt.http.port", "'70000'", "(from file " + f + ")", "between 0 and 65535");
    }

    @Test
    void shouldNameTheVariableForBadEnvironmentValue() {
        assertThat(failure(Optional.empty(), Map.of("CPT_HTTP_PORT", "abc"), List.of()))
                .contains("cpt.http.port", "'abc'", "(from env CPT_HTTP_PORT)", "not an integer");
    }

    @Test
    void shouldReportEveryProblemInOneException() throws IOException {
        Path f = dir.resolve("cpt.yaml");
        Files.writeString(f, "cpt.http.port: 70000\ncpt.kafka.topic.partitions: 0\n");

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(f),
                Map.of("CPT_SHUTDOWN_TIMEOUT", "soon", "CPT_KAFKA_BOOTSTRAP_SERVER", "x:1"),
                List.of("cpt.kafka.bootstrap.servers=localhost", "cpt.http.host=ok")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("5 configuration problems:\n  - ")
                .hasMessageContainingAll(
                        "cpt.http.port: '70000' (from file " + f + ")",
                        "cpt.kafka.topic.partitions: '0' (from file " + f + ")",
                        "cpt.shutdown.timeout: 'soon' (from env CPT_SHUTDOWN_TIMEOUT)",
                        "unknown environment variable CPT_KAFKA_BOOTSTRAP_SERVER",
                        "cpt.kafka.bootstrap.servers: 'localhost' (from --set)")
                .hasMessageNotContaining("cpt.http.host");
    }

    @Test
    void shouldRejectBadValueEvenWhenALaterSourceOverridesIt() {
        // every source is validated, not only the winning one: a broken variable fails even if --set fixes the key
        assertThat(failure(Optional.empty(), Map.of("CPT_HTTP_PORT", "abc"), List.of("cpt.http.port=8080")))
                .contains("CPT_HTTP_PORT");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"true, true", "yes, true", "on, true", "TRUE, true", "' On ', true",
            "false, false", "no, false", "off, false", "False, false"})
    void shouldParseBooleanWords(String text, boolean expected) {
        assertThat(ValueType.BOOLEAN.parse(text)).isEqualTo(expected);
    }

    @Test
    void shouldNameKeyValueSourceAndReasonForBadBoolean() {
        Setting<Boolean> flag = Setting.of("cpt.test.enabled", ValueType.BOOLEAN, false, "A test flag.");

        assertThatThrownBy(() -> flag.parse("maybe", new Source.Env("CPT_TEST_ENABLED")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value for cpt.test.enabled: 'maybe' (from env CPT_TEST_ENABLED) "
                        + "not a boolean (true or false); expected boolean");
    }

    @Test
    void shouldNameTheAllowedWordsForBadEnumValue() {
        Setting<Device> device = Setting.of("cpt.test.device", ValueType.enumOf(Device.class), Device.AUTO, "A test device.");

        assertThat(device.parse("Gpu-Only", Source.COMMAND_LINE)).isEqualTo(Device.GPU_ONLY);
        assertThat(device.type().format(Device.GPU_ONLY)).isEqualTo("gpu-only");
        assertThatThrownBy(() -> device.parse("tpu", Source.COMMAND_LINE))
                .hasMessageContaining("'tpu'")
                .hasMessageContaining("not one of auto|cpu|gpu-only");
    }

    @Test
    void shouldRejectNonFiniteNumbers() {
        Setting<Double> ratio = Setting.of("cpt.test.ratio", ValueType.DOUBLE, 0.5, "A test ratio.", Rule.between(0.0, 1.0));

        assertThatThrownBy(() -> ratio.parse("NaN", Source.COMMAND_LINE)).hasMessageContaining("not a finite number");
        assertThatThrownBy(() -> ratio.parse("half", Source.COMMAND_LINE)).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ratio.parse("1.5", Source.COMMAND_LINE)).hasMessageContaining("must be between 0.0 and 1.0");
    }

    @Test
    void shouldMaskSecretValuesInMessages() {
        Setting<String> token = new Setting<>("cpt.test.token", ValueType.STRING, "x", "A test token.", Rule.nonBlank(), true);

        assertThatThrownBy(() -> token.parse("  ", Source.COMMAND_LINE))
                .hasMessage("invalid value for cpt.test.token: '***' (from --set) must be not empty");
    }

    @Test
    void shouldRefuseToDefineSettingWhoseDefaultBreaksItsRule() {
        assertThatThrownBy(() -> Setting.of("cpt.test.port", ValueType.INT, 70000, "A port.", Rule.port()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("default of cpt.test.port breaks its own rule");
    }

    @Test
    void shouldRefuseToDefineSettingWithBadKeyOrDoc() {
        assertThatThrownBy(() -> Setting.of("http.port", ValueType.INT, 1, "A port."))
                .hasMessageContaining("cpt.<part>.<setting>");
        assertThatThrownBy(() -> Setting.of("cpt.Http.port", ValueType.INT, 1, "A port."))
                .hasMessageContaining("cpt.<part>.<setting>");
        assertThatThrownBy(() -> Setting.of("cpt.http.port", ValueType.INT, 1, "two\nlines"))
                .hasMessageContaining("needs a one-line doc");
        assertThatThrownBy(() -> Setting.of("cpt.http.port", ValueType.INT, 1, " "))
                .hasMessageContaining("needs a one-line doc");
    }

    enum Device { AUTO, CPU, GPU_ONLY }
}
