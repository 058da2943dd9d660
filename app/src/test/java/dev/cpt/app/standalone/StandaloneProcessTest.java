package dev.cpt.app.standalone;

import dev.cpt.app.ChildCpt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
            ChildCpt child = ChildCpt.start(stderr, 180, "standalone",
                    "--set", "cpt.http.port=0", "--set", "cpt.data.dir=" + dir.resolve("data"));
            Process p = child.process();
            try {
                assertThat(StandaloneTest.get(child.url() + "/healthz").statusCode()).isEqualTo(200);

                long t0 = System.nanoTime();
                p.destroy(); // SIGTERM, as Ctrl-C or `kill` would send
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s").isTrue();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(ms).isLessThan(10_000);
            } finally {
                p.destroyForcibly();
            }
            String log = Files.readString(stderr);
            assertThat(log).contains("stopped cleanly", "ingest REBALANCING -> RUNNING", "trainer process").doesNotContain("FATAL");
            if (run == 1) {
                assertThat(log).contains("created topics");
            } else {
                assertThat(log).as("second start reuses the data directory").doesNotContain("created topics");
            }
        }
    }
}
