package dev.cpt.core.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** config/cpt.yaml is generated from the setting definitions and must never drift from them. */
class DefaultsFileTest {

    /** Surefire runs in the module directory, core/. */
    private static final Path DEFAULTS_FILE = Path.of("..", "config", "cpt.yaml");

    private static final String REGENERATE = "config/cpt.yaml is out of date with the settings defined in core;"
            + " run: ./cpt config defaults > config/cpt.yaml";

    @Test
    void shouldKeepConfigCptYamlEqualToGeneratedDefaults() throws IOException {
        if (!Files.isRegularFile(DEFAULTS_FILE)) {
            fail(DEFAULTS_FILE.toAbsolutePath().normalize() + " is missing; " + REGENERATE);
        }

        assertThat(Files.readString(DEFAULTS_FILE)).as(REGENERATE).isEqualTo(ConfigDocs.defaultsYaml());
    }

    @Test
    void shouldLoadConfigCptYamlAsEveryDefaultFromTheFile() {
        Config config = ConfigLoader.load(Optional.of(DEFAULTS_FILE), Map.of(), List.of());

        for (Setting<?> s : Settings.all()) {
            assertThat(config.get(s)).as(s.key()).isEqualTo(s.defaultValue());
            assertThat(config.source(s)).as(s.key()).isEqualTo(new Source.File(DEFAULTS_FILE));
        }
    }

    @Test
    void shouldDocumentEverySettingInTheGeneratedDefaults() {
        String yaml = ConfigDocs.defaultsYaml();

        for (Setting<?> s : Settings.all()) {
            assertThat(yaml).as(s.key()).contains(
                    "\n# " + s.doc() + "\n",
                    "; env " + s.envName() + "\n",
                    "\n" + s.key() + ": ");
        }
    }

    @Test
    void shouldQuoteTextValuesAndLeaveNumbersBare() {
        String yaml = ConfigDocs.defaultsYaml();

        assertThat(yaml)
                .contains("\ncpt.http.port: 9400\n")
                .contains("\ncpt.kafka.topic.replication: -1\n")
                .contains("\ncpt.http.host: \"127.0.0.1\"\n")
                .contains("\ncpt.kafka.bootstrap.servers: \"\"\n")
                .contains("\ncpt.kafka.topic.retention: \"7d\"\n");
    }

    @Test
    void shouldStateRulesAndPrecedenceInTheGeneratedDefaults() {
        String yaml = ConfigDocs.defaultsYaml();

        assertThat(yaml)
                .startsWith("# cpt configuration")
                .contains("later wins: these defaults -> --config FILE -> environment CPT_<PART>_<SETTING> -> --set key=value")
                .contains("# integer, a TCP port between 0 and 65535 (0 = pick a free one); env CPT_HTTP_PORT\n")
                .contains("# path; env CPT_DATA_DIR\n")
                .contains("\n# --- kafka ---\n")
                .endsWith("\n");
    }
}
