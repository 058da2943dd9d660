package dev.cpt.monitor.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpt.core.auth.BearerTokens;
import dev.cpt.core.format.Json;
import dev.cpt.core.store.Checksums;
import dev.cpt.monitor.registry.PromotionGate;
import dev.cpt.monitor.registry.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import static dev.cpt.monitor.http.TestServer.ADMIN;
import static dev.cpt.monitor.http.TestServer.READ;
import static org.assertj.core.api.Assertions.assertThat;

class CheckpointRoutesTest {

    static final String B1 = "b000001-f100";
    static final int SIZE = 3 * 1024 * 1024 + 17; // several of the responder's pieces

    @TempDir
    Path tmp;

    Path store;
    TestServer t;
    byte[] model;

    @BeforeEach
    void start() throws Exception {
        store = tmp.resolve("store");
        Stores.branch(store, B1, 1_000, 110, Map.of("en", 1.5), Map.of("en", 1000L), SIZE);
        Stores.branch(store, "b000002-f200", 2_000, 210);
        Stores.main(store, 200, 1_500);
        model = Files.readAllBytes(store.resolve("branches").resolve(B1).resolve("model.safetensors"));
        t = new TestServer(store, Duration.ofSeconds(30), Optional.empty());
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void listsCheckpointsWithPromotionsAndFiltersByKind() throws Exception {
        t.promotions.record(B1, new PromotionGate.Decision(true, "promoted: there is no current latest"), Optional.empty());
        JsonNode all = Json.MAPPER.readTree(t.getText("/v1/checkpoints", READ).body());
        assertThat(all).extracting(n -> n.get("id").asText()).containsExactly("b000002-f200", "main-000000000200", B1);
        JsonNode b1 = all.get(2);
        assertThat(b1.get("kind").asText()).isEqualTo("decayed");
        assertThat(b1.get("step").asLong()).isEqualTo(110);
        assertThat(b1.get("createdMs").asLong()).isEqualTo(1_000);
        assertThat(b1.get("tokens").asLong()).isEqualTo(110 * 4096);
        assertThat(b1.get("evalLoss").get("en").asDouble()).isEqualTo(1.5);
        assertThat(b1.get("predictedLoss").isNull()).isTrue();
        assertThat(b1.get("promotion").get("promoted").asBoolean()).isTrue();
        assertThat(all.get(0).get("promotion").isNull()).isTrue();

        JsonNode mains = Json.MAPPER.readTree(t.getText("/v1/checkpoints?kind=main", READ).body());
        assertThat(mains).extracting(n -> n.get("id").asText()).containsExactly("main-000000000200");
        HttpResponse<String> bad = t.getText("/v1/checkpoints?kind=other", READ);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"error\"").contains("main or decayed");
    }

    @Test
    void servesTheManifestWithItsPromotion() throws Exception {
        HttpResponse<String> r = t.getText("/v1/checkpoints/" + B1, READ);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode m = Json.MAPPER.readTree(r.body());
        assertThat(m.get("id").asText()).isEqualTo(B1);
        assertThat(m.get("files").get(0).get("sha256").asText()).isEqualTo(Checksums.sha256(model));
        assertThat(m.has("promotion")).isTrue();
        assertThat(m.get("promotion").isNull()).isTrue();
        t.promotions.record(B1, new PromotionGate.Decision(false, "refused: x"), Optional.of("b000000-f1"));
        m = Json.MAPPER.readTree(t.getText("/v1/checkpoints/" + B1, READ).body());
        assertThat(m.get("promotion").get("comparedTo").asText()).isEqualTo("b000000-f1");
        assertThat(t.getText("/v1/checkpoints/b000404-f1", READ).statusCode()).isEqualTo(404);
    }

    @Test
    void downloadsFilesByteExactWithRanges() throws Exception {
        String path = "/v1/checkpoints/" + B1 + "/files/model.safetensors";
        String etag = "\"" + Checksums.sha256(model) + "\"";
        HttpResponse<byte[]> whole = t.get(path, READ);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(model);
        assertThat(whole.headers().firstValue("ETag")).contains(etag);
        assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(whole.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);

        HttpResponse<byte[]> ab = t.get(path, READ, "Range", "bytes=100-299");
        assertThat(ab.statusCode()).isEqualTo(206);
        assertThat(ab.body()).isEqualTo(Arrays.copyOfRange(model, 100, 300));
        assertThat(ab.headers().firstValue("Content-Range")).contains("bytes 100-299/" + SIZE);
        assertThat(ab.headers().firstValueAsLong("Content-Length")).hasValue(200);

        HttpResponse<byte[]> from = t.get(path, READ, "Range", "bytes=" + (SIZE - 1000) + "-");
        assertThat(from.statusCode()).isEqualTo(206);
        assertThat(from.body()).isEqualTo(Arrays.copyOfRange(model, SIZE - 1000, SIZE));

        HttpResponse<byte[]> tail = t.get(path, READ, "Range", "bytes=-10");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(model, SIZE - 10, SIZE));
        assertThat(tail.headers().firstValue("Content-Range")).contains("bytes " + (SIZE - 10) + "-" + (SIZE - 1) + "/" + SIZE);

        HttpResponse<byte[]> past = t.get(path, READ, "Range", "bytes=0-" + (SIZE * 2));
        assertThat(past.statusCode()).isEqualTo(206);
        assertThat(past.body()).isEqualTo(model);

        HttpResponse<byte[]> none = t.get(path, READ, "Range", "bytes=" + SIZE + "-");
        assertThat(none.statusCode()).isEqualTo(416);
        assertThat(none.headers().firstValue("Content-Range")).contains("bytes */" + SIZE);

        HttpResponse<byte[]> multi = t.get(path, READ, "Range", "bytes=0-1,5-9");
        assertThat(multi.statusCode()).isEqualTo(200);
        assertThat(multi.body()).isEqualTo(model);

        HttpResponse<byte[]> staleIfRange = t.get(path, READ, "Range", "bytes=0-9", "If-Range", "\"other\"");
        assertThat(staleIfRange.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> freshIfRange = t.get(path, READ, "Range", "bytes=0-9", "If-Range", etag);
        assertThat(freshIfRange.statusCode()).isEqualTo(206);

        HttpResponse<byte[]> cached = t.get(path, READ, "If-None-Match", etag);
        assertThat(cached.statusCode()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();
        assertThat(t.get(path, READ, "If-None-Match", "\"x\", " + etag).statusCode()).isEqualTo(304);
        assertThat(t.get(path, READ, "If-None-Match", "\"x\"").statusCode()).isEqualTo(200);

        byte[] nested = Files.readAllBytes(store.resolve("main/000000000200/replay/en.slots"));
        HttpResponse<byte[]> n = t.get("/v1/checkpoints/main-000000000200/files/replay/en.slots", READ);
        assertThat(n.statusCode()).isEqualTo(200);
        assertThat(n.body()).isEqualTo(nested);
        HttpResponse<String> missing = t.getText("/v1/checkpoints/" + B1 + "/files/optimizer.safetensors", READ);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("model.safetensors");
    }

    @Test
    void asksForATokenWithTheRightScope() throws Exception {
        HttpResponse<String> none = t.getText("/v1/checkpoints", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        assertThat(none.body()).contains("\"error\"").contains("Authorization: Bearer");
        assertThat(t.getText("/v1/checkpoints", "not-a-known-token-at-all").statusCode()).isEqualTo(401);
        assertThat(t.getText("/v1/checkpoints/" + B1 + "/files/model.safetensors", "wrong-token-0123456789").statusCode())
                .isEqualTo(401);
        assertThat(t.getText("/v1/checkpoints", ADMIN).statusCode()).isEqualTo(200);
        HttpResponse<String> weak = t.post("/v1/aliases/latest", READ, "{\"id\":\"" + B1 + "\"}");
        assertThat(weak.statusCode()).isEqualTo(403);
        assertThat(weak.body()).contains("scope read").contains("needs admin");
        assertThat(t.post("/v1/branches", READ, "{}").statusCode()).isEqualTo(403);
        assertThat(t.getText("/v1/forgetting", READ).body()).isEqualTo("{\"streams\":{}}");

        HttpResponse<String> put = t.client.send(t.request("/v1/checkpoints", ADMIN)
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).contains("GET");
        HttpResponse<String> getBranches = t.getText("/v1/branches", ADMIN);
        assertThat(getBranches.statusCode()).isEqualTo(405);
        assertThat(getBranches.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void withoutTokensEveryRequestIsRefusedNamingTheSetting() throws Exception {
        try (TestServer open = new TestServer(store, Duration.ofSeconds(1), Optional.empty(), BearerTokens.NONE)) {
            for (String p : new String[]{"/v1/checkpoints", "/v1/aliases/latest", "/v1/forgetting"}) {
                HttpResponse<String> r = open.getText(p, READ);
                assertThat(r.statusCode()).as(p).isEqualTo(401);
                assertThat(r.body()).contains("cpt.http.tokens.file").contains("CPT_HTTP_TOKENS");
            }
        }
    }

    @Test
    void traversalNeverLeavesTheCheckpoint() throws Exception {
        String secret = "TOP-SECRET-" + System.nanoTime();
        Files.writeString(tmp.resolve("secret.txt"), secret);
        Files.writeString(store.resolve("secret.txt"), secret);
        Files.writeString(store.resolve("branches").resolve(B1).resolve("unlisted.bin"), secret);
        Stores.branch(store, "b000003-f300", 3_000, 310);
        Files.writeString(store.resolve("branches/b000003-f300/model.safetensors"), secret);
        Files.move(store.resolve("branches/b000003-f300"), store.resolve("branches/.tmp-b000003-f300"));
        String f = "/v1/checkpoints/" + B1 + "/files/";
        String[] attempts = {
                f + "../../../secret.txt", f + "..%2f..%2f..%2fsecret.txt", f + "%2e%2e/%2e%2e/%2e%2e/secret.txt",
                f + "%2E%2E%2F%2E%2E%2Fsecret.txt", f + "..%5c..%5csecret.txt", f + "..\\..\\secret.txt",
                f + "/etc/passwd", f + "%2fetc%2fpasswd", f + "unlisted.bin", f + "model.safetensors%00.txt",
                f + "./model.safetensors", f + ".hidden", "/v1/checkpoints/..%2f..%2fsecret.txt",
                "/v1/checkpoints/../../secret.txt/files/x", "/v1/checkpoints/%2e%2e/files/secret.txt",
                "/v1/checkpoints/.tmp-b000003-f300/files/model.safetensors", "/v1/checkpoints/.tmp-b000003-f300",
                "/v1/checkpoints/b000003-f300/files/model.safetensors", "/v1/checkpoints//etc/passwd",
                "/v1/checkpoints/" + B1 + "/files//etc/passwd", "/v1/aliases/..%2f..%2fsecret.txt",
                "/v1/checkpoints/main-000000000200/files/replay/../state.json", "/v1/checkpoints/" + B1 + "/files/manifest.json/..",
        };
        for (String a : attempts) {
            String answer = t.raw("GET", a);
            assertThat(TestServer.status(answer)).as(a).isIn(400, 404);
            assertThat(answer).as(a).doesNotContain(secret);
        }
        assertThat(TestServer.status(t.raw("GET", f + "..%2f..%2f..%2fsecret.txt"))).isEqualTo(400);
        assertThat(TestServer.status(t.raw("GET", f + "unlisted.bin"))).isEqualTo(404);
        assertThat(TestServer.status(t.raw("GET", f + "model.safetensors"))).isEqualTo(200);
    }
}
