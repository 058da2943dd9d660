package dev.cpt.monitor.http;

import com.sun.net.httpserver.HttpExchange;
import dev.cpt.core.auth.BearerTokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/branches}: checked for an admin token here, then forwarded (body,
 * {@code Authorization}, {@code Content-Type}) to {@code <cpt.monitor.trainer.url>/v1/branches}
 * and the trainer's answer relayed. The call is asynchronous: no server thread waits on the trainer.
 */
final class BranchesForwarder extends V1Handler {

    static final String SETTING = "cpt.monitor.trainer.url";

    private final Optional<URI> target;
    private final HttpClient client;

    BranchesForwarder(BearerTokens tokens, Optional<URI> trainerUrl) {
        super(RegistryRoutes.BRANCHES, tokens, "POST");
        this.target = trainerUrl.map(u -> URI.create(u.toString().replaceAll("/+$", "") + RegistryRoutes.BRANCHES));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
    }

    @Override
    void serve(HttpExchange ex, String method, List<String> segments) throws IOException {
        if (!segments.isEmpty()) {
            Http.error(ex, 404, "no route " + ex.getRequestURI().getRawPath() + "; POST " + prefix() + " asks for a branch");
            return;
        }
        if (target.isEmpty()) {
            Http.error(ex, 503, "no trainer to forward to: set " + SETTING + " to the trainer's HTTP address");
            return;
        }
        byte[] body = Http.body(ex);
        if (body == null) {
            Http.error(ex, 413, "the body must be a small JSON object (at most " + Http.MAX_BODY + " bytes)");
            return;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(target.get()).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : List.of("Authorization", "Content-Type")) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, error) -> {
            try {
                if (error != null) {
                    Http.error(ex, 503, "the trainer at " + target.get() + " (" + SETTING + ") does not answer: " + rootCause(error));
                } else {
                    Http.send(ex, r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
                }
            } catch (IOException | RuntimeException e) {
                fail(ex, e);
            }
        });
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
