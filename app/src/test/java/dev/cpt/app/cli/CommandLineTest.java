package dev.cpt.app.cli;

import dev.cpt.app.Main;
import dev.cpt.core.config.ConfigDocs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {


    static CliRun run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void shouldListEveryCommandInTopLevelHelp() {
        CliRun r = run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: cpt", "standalone", "config", "version");
    }

    @Test
    void shouldAnswerHelpOnEverySubcommand() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThanOrEqualTo(5);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun r = run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as("cpt %s --help", String.join(" ", path)).isZero();
            assertThat(r.out()).as("cpt %s --help", String.join(" ", path)).contains("Usage: cpt");
        }
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                collect(sub, p, out);
            }
        });
    }

    @Test
    void shouldShowEffectiveValuesWithTheirSources(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cpt.yaml");
        Files.writeString(file, "cpt:\n  kafka:\n    topic:\n      partitions: 4\n      prefix: from-file\n");

        CliRun r = run("config", "show", "--config", file.toString(), "--set", "cpt.kafka.topic.prefix=from-set");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("cpt\\.kafka\\.topic\\.partitions\\s+= 4\\s+\\[file " + java.util.regex.Pattern.quote(file.toString()) + "]")
                .containsPattern("cpt\\.kafka\\.topic\\.prefix\\s+= from-set\\s+\\[--set]")
                .containsPattern("cpt\\.http\\.host\\s+= 127\\.0\\.0\\.1\\s+\\[default]");
    }

    @Test
    void shouldExitWithConfigErrorAndSuggestionForUnknownKey() {
        CliRun r = run("config", "show", "--set", "cpt.http.prot=1");

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(r.err()).contains("unknown key cpt.http.prot", "did you mean cpt.http.port?");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void shouldRefuseToStartStandaloneWithBadValueNamingKeyValueAndRule() {
        CliRun r = run("standalone", "--set", "cpt.http.port=70000");

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(r.err()).contains("cpt.http.port", "'70000'", "between 0 and 65535");
    }

    @Test
    void shouldPrintDefaultsYamlThatIsConfigCptYaml() throws Exception {
        CliRun r = run("config", "defaults");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(ConfigDocs.defaultsYaml());
        Path repoFile = Path.of(System.getProperty("cpt.repo.root", ".."), "config", "cpt.yaml");
        assertThat(r.out()).isEqualTo(Files.readString(repoFile));
    }

    @Test
    void shouldPrintVersion() {
        CliRun r = run("version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("cpt ").contains("kafka-clients 4.3.1");
    }
}
