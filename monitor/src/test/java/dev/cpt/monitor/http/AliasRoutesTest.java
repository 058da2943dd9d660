package dev.cpt.monitor.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpt.core.format.Json;
import dev.cpt.core.store.AliasFile;
import dev.cpt.monitor.registry.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.cpt.monitor.http.TestServer.ADMIN;
import static dev.cpt.monitor.http.TestServer.READ;
import static org.assertj.core.api.Assertions.assertThat;

class AliasRoutesTest {

    static final String B1 = "b000001-f100";
    static final String B2 = "b000002-f200";

    @TempDir
    Path tmp;

    Path store;
    TestServer t;

    @BeforeEach
    void start() throws Exception {
        store = tmp.resolve("store");
        Stores.branch(store, B1, 1_000, 110);
        Stores.branch(store, B2, 2_000, 210);
        AliasFile.update(store, a -> a.with("latest", B1));
        t = new TestServer(store, Duration.ofSeconds(5), Optional.empty());
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void servesAnAliasWithItsManifestAndAnETag() throws Exception {
        HttpResponse<String> r = t.getText("/v1/aliases/latest", READ);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("ETag")).contains("\"" + B1 + "\"");
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("alias").asText()).isEqualTo("latest");
        assertThat(body.get("id").asText()).isEqualTo(B1);
        assertThat(body.get("manifest").get("step").asLong()).isEqualTo(110);

        HttpResponse<String> same = t.getText("/v1/aliases/latest", READ, "If-None-Match", "\"" + B1 + "\"");
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.headers().firstValue("ETag")).contains("\"" + B1 + "\"");
        assertThat(t.getText("/v1/aliases/latest", READ, "If-None-Match", "\"" + B2 + "\"").statusCode()).isEqualTo(200);
        assertThat(t.getText("/v1/aliases/nothing", READ).statusCode()).isEqualTo(404);
        assertThat(t.getText("/v1/aliases/nothing?wait=1s", READ).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = t.getText("/v1/aliases/latest?wait=soon", READ, "If-None-Match", "\"" + B1 + "\"");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("500ms, 30s, 2m");
        assertThat(Json.MAPPER.readTree(t.getText("/v1/aliases", READ).body()).get("aliases").get("latest").asText()).isEqualTo(B1);
    }

    @Test
    void longPollWakesSoonAfterAMoveNotAtItsTimeout() throws Exception {
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<String>> poll = t.client.sendAsync(t.request("/v1/aliases/latest?wait=30s", READ)
                .header("If-None-Match", "\"" + B1 + "\"").GET().build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500);
        assertThat(poll).isNotDone();
        assertThat(t.server.routes().heldLongPolls()).isEqualTo(1);
        long moved = System.nanoTime();
        AliasFile.update(store, a -> a.with("latest", B2));
        HttpResponse<String> r = poll.get(5, TimeUnit.SECONDS);
        Duration woke = Duration.ofNanos(System.nanoTime() - moved);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("ETag")).contains("\"" + B2 + "\"");
        assertThat(Json.MAPPER.readTree(r.body()).get("manifest").get("id").asText()).isEqualTo(B2);
        // the watcher polls every ~100 ms; bounds far below the 30 s wait, loose enough for a loaded CI machine
        assertThat(woke).isLessThan(Duration.ofSeconds(3));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(t.server.routes().heldLongPolls()).isZero();
    }

    @Test
    void longPollTimesOutWith304AndIsCappedAtTheMaximum() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = t.getText("/v1/aliases/latest?wait=1s", READ, "If-None-Match", "\"" + B1 + "\"");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.headers().firstValue("ETag")).contains("\"" + B1 + "\"");
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));

        try (TestServer capped = new TestServer(store, Duration.ofMillis(300), Optional.empty())) {
            long t1 = System.nanoTime();
            assertThat(capped.getText("/v1/aliases/latest?wait=2m", READ, "If-None-Match", "\"" + B1 + "\"").statusCode())
                    .isEqualTo(304);
            assertThat(Duration.ofNanos(System.nanoTime() - t1)).as("capped far below 2m").isLessThan(Duration.ofSeconds(10));
        }
        // a client that knows an old id is answered at once
        long t2 = System.nanoTime();
        assertThat(t.getText("/v1/aliases/latest?wait=30s", READ, "If-None-Match", "\"" + B2 + "\"").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t2)).as("not held for the 30 s wait").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void postMovesAnAliasAndPins() throws Exception {
        HttpResponse<String> r = t.post("/v1/aliases/prod", ADMIN, "{\"id\": \"" + B2 + "\", \"pin\": true}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode table = Json.MAPPER.readTree(r.body());
        assertThat(table.get("aliases").get("prod").asText()).isEqualTo(B2);
        assertThat(table.get("aliases").get("latest").asText()).isEqualTo(B1);
        assertThat(table.get("pinned")).extracting(JsonNode::asText).containsExactly(B2);
        assertThat(AliasFile.read(store).get("prod")).contains(B2);

        r = t.post("/v1/aliases/prod", ADMIN, "{\"id\": \"" + B1 + "\"}");
        assertThat(Json.MAPPER.readTree(r.body()).get("pinned")).extracting(JsonNode::asText).containsExactly(B2);
        r = t.post("/v1/aliases/prod", ADMIN, "{\"id\": \"" + B2 + "\", \"pin\": false}");
        assertThat(Json.MAPPER.readTree(r.body()).get("pinned")).isEmpty();

        HttpResponse<String> unknown = t.post("/v1/aliases/prod", ADMIN, "{\"id\": \"b000404-f1\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("b000404-f1");
        for (String bad : new String[]{"{not json", "[]", "{}", "{\"id\": 3}", "{\"id\": \"" + B1 + "\", \"pin\": \"yes\"}",
                "{\"id\": \"../x\"}", ""}) {
            HttpResponse<String> b = t.post("/v1/aliases/prod", ADMIN, bad);
            assertThat(b.statusCode()).as(bad).isEqualTo(400);
            assertThat(b.body()).as(bad).contains("\"error\"");
        }
        assertThat(t.post("/v1/aliases/Bad.Alias", ADMIN, "{\"id\": \"" + B1 + "\"}").statusCode()).isEqualTo(400);
        assertThat(AliasFile.read(store).get("prod")).contains(B2);
    }
}
