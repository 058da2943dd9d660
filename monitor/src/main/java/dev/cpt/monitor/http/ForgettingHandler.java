package dev.cpt.monitor.http;

import com.sun.net.httpserver.HttpExchange;
import dev.cpt.core.auth.BearerTokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/** {@code GET /v1/forgetting}: the JSON another part of the monitor supplies (null: not yet, 503). */
final class ForgettingHandler extends V1Handler {

    private final Supplier<String> body;

    ForgettingHandler(BearerTokens tokens, Supplier<String> body) {
        super(RegistryRoutes.FORGETTING, tokens, "GET");
        this.body = body;
    }

    @Override
    void serve(HttpExchange ex, String method, List<String> segments) throws IOException {
        if (!segments.isEmpty()) {
            Http.error(ex, 404, "no route " + ex.getRequestURI().getRawPath() + "; GET " + prefix() + " is the report");
            return;
        }
        String json = body == null ? null : body.get();
        if (json == null) {
            Http.error(ex, 503, "no forgetting report yet");
            return;
        }
        Http.send(ex, 200, Http.JSON, json.getBytes(StandardCharsets.UTF_8));
    }
}
