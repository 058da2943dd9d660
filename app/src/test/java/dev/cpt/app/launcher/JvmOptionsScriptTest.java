package dev.cpt.app.launcher;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** bin/jvm-options, which ./cpt asks for the JVM options of a command: a fixed, pre-touched heap for long-running ones. */
class JvmOptionsScriptTest {

    private static final Path SCRIPT = Path.of(System.getProperty("cpt.repo.root", ".."), "bin", "jvm-options");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} with {1} kB of memory, cgroup limit {2}, JAVA_OPTS ''{3}'' -> {4}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            // a fixed heap of 3 GiB, or a quarter of the memory when that is less
            "bench      | 24576000 | none       |                         | -XX:+AlwaysPreTouch -Xms3072m -Xmx3072m",
            "standalone | 8000000  | none       |                         | -XX:+AlwaysPreTouch -Xms1953m -Xmx1953m",
            "train      | 24576000 | max        |                         | -XX:+AlwaysPreTouch -Xms3072m -Xmx3072m",
            // a container's limit below the machine's memory decides
            "ingest     | 24576000 | 2147483648 |                         | -XX:+AlwaysPreTouch -Xms512m -Xmx512m",
            "monitor    | 500000   | none       |                         | -XX:+AlwaysPreTouch -Xms256m -Xmx256m",
            // JAVA_OPTS that size the heap decide it; a property that merely mentions -Xmx does not
            "ingest     | 24576000 | none       | -Xmx8g                  | -XX:+AlwaysPreTouch",
            "bench      | 24576000 | none       | -Dx=1 -XX:MaxRAMPercentage=50 | -XX:+AlwaysPreTouch",
            "bench      | 24576000 | none       | -XX:InitialHeapSize=2g  | -XX:+AlwaysPreTouch",
            "bench      | 24576000 | none       | -Dlabel=-Xmx            | -XX:+AlwaysPreTouch -Xms3072m -Xmx3072m",
            // short commands: the JVM's defaults
            "push       | 24576000 | none       |                         | ''",
            "version    | 24576000 | none       |                         | ''",
    })
    void shouldGiveLongRunningCommandsAFixedPreTouchedHeap(String command, long memKb, String cgroupMax, String javaOpts,
                                                          String expected) throws Exception {
        Path meminfo = Files.writeString(dir.resolve("meminfo"), "MemTotal:       " + memKb + " kB\nMemFree:        1000 kB\n");
        Path cgroup = dir.resolve("memory.max");
        if (cgroupMax != null) {
            Files.writeString(cgroup, cgroupMax + "\n");
        }

        List<String> options = run(command, Map.of("MEMINFO", meminfo.toString(), "CGROUP_MEMORY_MAX", cgroup.toString(),
                "JAVA_OPTS", javaOpts == null ? "" : javaOpts));

        assertThat(String.join(" ", options)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bench", "version"})
    void shouldLeaveTheHeapToTheJvmWhenTheMemoryIsUnknown(String command) throws Exception {
        List<String> options = run(command, Map.of("MEMINFO", dir.resolve("absent").toString(),
                "CGROUP_MEMORY_MAX", dir.resolve("absent too").toString(), "JAVA_OPTS", ""));

        assertThat(options).isEqualTo(command.equals("bench") ? List.of("-XX:+AlwaysPreTouch") : List.of());
    }

    private static List<String> run(String command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
