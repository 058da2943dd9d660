package dev.cpt.app.standalone;

import dev.cpt.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code cpt standalone} as a real process, as a user would, and stops it with SIGTERM. */
class StandaloneProcessTest {

    @TempDir
    Path dir;

    @Test
    void shouldPrintReadyLineServeHealthAndStopCleanlyOnSigtermWithinTenSeconds() throws Exception {
        for (int run = 1; run <= 2; run++) {
            Path stderr = dir.resolve("stderr-" + run + ".txt");
            Process p = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                    Main.class.getName(), "standalone",
                    "--set", "cpt.http.port=0", "--set", "cpt.data.dir=" + dir.resolve("data")))
                    .redirectError(stderr.toFile())
                    .start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String ready = CompletableFuture.supplyAsync(() -> readLine(out)).get(90, TimeUnit.SECONDS);
                assertThat(ready).matches("cpt ready: http://127\\.0\\.0\\.1:\\d+");
                String url = ready.substring("cpt ready: ".length());
                assertThat(StandaloneTest.get(url + "/healthz").statusCode()).isEqualTo(200);

                long t0 = System.nanoTime();
                p.destroy(); // SIGTERM, as Ctrl-C or `kill` would send
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s").isTrue();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(ms).isLessThan(10_000);
            } finally {
                p.destroyForcibly();
            }
            String log = Files.readString(stderr);
            assertThat(log).contains("stopped cleanly", "ingest REBALANCING -> RUNNING").doesNotContain("FATAL");
            if (run == 1) {
                assertThat(log).contains("created topics");
            } else {
                assertThat(log).as("second start reuses the data directory").doesNotContain("created topics");
            }
        }
    }

    private static String readLine(BufferedReader r) {
        try {
            return r.readLine();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
