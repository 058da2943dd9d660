package dev.cpt.app.standalone;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrainerProcessTest {

    /** The child {@code cpt train} gets the heap this JVM got from bin/jvm-options or JAVA_OPTS, and nothing else of its arguments. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "-XX:+AlwaysPreTouch -Xms3072m -Xmx3072m -Dai.djl.offline=true | -Xms3072m -Xmx3072m",
            "-Xmx2g -XX:+UseG1GC                                             | -Xmx2g",
            "-XX:MaxRAMPercentage=50.0 -XX:InitialRAMPercentage=50.0        | -XX:MaxRAMPercentage=50.0 -XX:InitialRAMPercentage=50.0",
            "-XX:MaxHeapSize=1073741824 -XX:InitialHeapSize=1073741824      | -XX:MaxHeapSize=1073741824 -XX:InitialHeapSize=1073741824",
            "-Xss2m -XX:MaxMetaspaceSize=256m -Dcpt.xmx=1g                  | ''",
            "-XX:+AlwaysPreTouch -Dai.djl.offline=true                       | ''",
    })
    void shouldGiveTheTrainerChildThisJvmsHeapArguments(String jvm, String expected) {
        assertThat(TrainerProcess.heapArguments(words(jvm))).isEqualTo(words(expected));
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }
}
