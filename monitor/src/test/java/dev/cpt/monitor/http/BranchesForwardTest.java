package dev.cpt.monitor.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static dev.cpt.monitor.http.TestServer.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

class BranchesForwardTest {

    @TempDir
    Path tmp;

    @Test
    void forwardsToTheTrainerAndRelaysItsAnswer() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        HttpServer trainer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        trainer.createContext("/v1/branches", ex -> {
            seen.put("method", ex.getRequestMethod());
            seen.put("path", ex.getRequestURI().getPath());
            seen.put("authorization", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            seen.put("contentType", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"status\":\"queued\",\"position\":1}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(202, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        trainer.start();
        try (TestServer t = new TestServer(tmp.resolve("store"), Duration.ofSeconds(1),
                Optional.of(URI.create("http://127.0.0.1:" + trainer.getAddress().getPort() + "/")))) {
            HttpResponse<String> r = t.post("/v1/branches", ADMIN, "{\"steps\": 40, \"note\": \"test\"}");
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(r.body()).isEqualTo("{\"status\":\"queued\",\"position\":1}");
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(seen).containsEntry("method", "POST").containsEntry("path", "/v1/branches")
                    .containsEntry("authorization", "Bearer " + ADMIN).containsEntry("contentType", "application/json")
                    .containsEntry("body", "{\"steps\": 40, \"note\": \"test\"}");
        } finally {
            trainer.stop(0);
        }
    }

    @Test
    void answers503WithoutATrainerOrWhenItDoesNotAnswer() throws Exception {
        try (TestServer t = new TestServer(tmp.resolve("store"), Duration.ofSeconds(1), Optional.empty())) {
            HttpResponse<String> r = t.post("/v1/branches", ADMIN, "{}");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("cpt.monitor.trainer.url");
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TestServer t = new TestServer(tmp.resolve("store"), Duration.ofSeconds(1),
                Optional.of(URI.create("http://127.0.0.1:" + closedPort)))) {
            HttpResponse<String> r = t.post("/v1/branches", ADMIN, "{}");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("cpt.monitor.trainer.url").contains("does not answer");
        }
    }
}
