package dev.cpt.app.standalone;

import dev.cpt.app.ChildCpt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code cpt standalone} as a real process, as a user would, and stops it with SIGTERM. */
class StandaloneProcessTest {

    @TempDir
    Path dir;

    private static final String ADMIN = "admin-token-0123456789";
    private static final String READER = "read-token-0123456789";

    static HttpResponse<String> post(String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/v1/branches")).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldPrintReadyLineServeHealthAndStopCleanlyOnSigtermWithinTenSeconds() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "admin " + ADMIN + "\nread " + READER + "\n");
        for (int run = 1; run <= 2; run++) {
            Path stderr = dir.resolve("stderr-" + run + ".txt");
            ChildCpt child = ChildCpt.start(stderr, 180, "standalone", "--set", "cpt.http.port=0",
                    "--set", "cpt.data.dir=" + dir.resolve("data"), "--set", "cpt.http.tokens.file=" + tokens);
            Process p = child.process();
            try {
                assertThat(StandaloneTest.get(child.url() + "/healthz").statusCode()).isEqualTo(200);
                if (run == 1) {
                    // the branch route of the trainer process, through the standalone's port
                    assertThat(post(child.url(), null, "{}").statusCode()).isEqualTo(401);
                    assertThat(post(child.url(), READER, "{}").statusCode()).isEqualTo(403);
                    assertThat(post(child.url(), ADMIN, "{\"steps\": 0, \"shape\": \"sideways\"}").statusCode()).isEqualTo(400);
                    HttpResponse<String> queued = post(child.url(), ADMIN, "{\"steps\": 5, \"note\": \"test\"}");
                    assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
                    assertThat(queued.body()).contains("\"status\":\"queued\"", "\"position\":1");
                    // the registry and the loss matrix of the monitor part
                    assertThat(get(child.url() + "/v1/checkpoints", READER).statusCode()).isEqualTo(200);
                    assertThat(get(child.url() + "/v1/checkpoints", null).statusCode()).isEqualTo(401);
                    HttpResponse<String> forgetting = get(child.url() + "/v1/forgetting", READER);
                    assertThat(forgetting.statusCode()).isEqualTo(200);
                    assertThat(forgetting.body()).contains("\"checkpoints\"", "\"forgetting\"");
                }

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
