package dev.cpt.monitor.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cpt.core.auth.BearerTokens;
import dev.cpt.core.format.Json;
import dev.cpt.core.store.AliasTable;
import dev.cpt.core.store.StoreLayout;
import dev.cpt.monitor.registry.Registry;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code GET /v1/aliases} (the table), {@code GET /v1/aliases/{alias}[?wait=30s]} (long-polls
 * with {@code If-None-Match: "<id>"}) and {@code POST /v1/aliases/{alias}} with
 * {@code {"id": "...", "pin": true|false}}.
 */
final class AliasesHandler extends V1Handler {

    private final Registry registry;
    private final Duration longPollMax;
    private final LongPolls polls;

    AliasesHandler(Registry registry, BearerTokens tokens, Duration longPollMax, ScheduledExecutorService timer) {
        super(RegistryRoutes.ALIASES, tokens, "GET", "POST");
        this.registry = registry;
        this.longPollMax = longPollMax;
        this.polls = new LongPolls(registry, timer, this::answer);
    }

    int held() {
        return polls.held();
    }

    /** Answers every held long-poll with 304 now (the routes are being removed). */
    void close() {
        polls.close();
    }

    @Override
    void serve(HttpExchange ex, String method, List<String> segments) throws IOException {
        if (segments.isEmpty() && method.equals("GET")) {
            Http.json(ex, 200, Json.MAPPER.valueToTree(registry.aliases()));
            return;
        }
        if (segments.size() != 1) {
            if (segments.isEmpty()) {
                ex.getResponseHeaders().set("Allow", "GET");
            }
            Http.error(ex, segments.isEmpty() ? 405 : 404, "routes: GET " + prefix() + ", GET and POST " + prefix() + "/{alias}");
            return;
        }
        String alias = segments.get(0);
        if (!StoreLayout.ID.matcher(alias).matches()) {
            Http.error(ex, 400, "an alias must match " + StoreLayout.ID.pattern() + ", got '" + alias + "'");
            return;
        }
        if (method.equals("POST")) {
            post(ex, alias);
        } else {
            get(ex, alias);
        }
    }

    private void get(HttpExchange ex, String alias) throws IOException {
        Map<String, String> q = Http.query(ex);
        Duration wait = Duration.ZERO;
        if (q.containsKey("wait")) {
            try {
                wait = Waits.parse(q.get("wait"), longPollMax);
            } catch (IllegalArgumentException e) {
                Http.error(ex, 400, e.getMessage());
                return;
            }
        }
        Optional<String> id = registry.aliases().get(alias);
        if (id.isEmpty()) {
            Http.error(ex, 404, "no alias " + alias + " (GET " + prefix() + " lists them)");
            return;
        }
        if (!Http.noneMatchHits(ex.getRequestHeaders().getFirst("If-None-Match"), Http.quote(id.get()))) {
            answer(ex, alias, id.get());
        } else if (wait.isZero()) {
            notModified(ex, id.get());
        } else {
            polls.hold(ex, alias, id.get(), wait);
        }
    }

    /** 200 with {@code {"alias","id","manifest"}} and {@code ETag: "<id>"}. */
    void answer(HttpExchange ex, String alias, String id) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode().put("alias", alias).put("id", id);
        body.set("manifest", registry.manifest(id).<JsonNode>map(Json.MAPPER::valueToTree).orElse(Json.MAPPER.nullNode()));
        ex.getResponseHeaders().set("ETag", Http.quote(id));
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        Http.json(ex, 200, body);
    }

    static void notModified(HttpExchange ex, String id) throws IOException {
        ex.getResponseHeaders().set("ETag", Http.quote(id));
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        Http.empty(ex, 304);
    }

    private void post(HttpExchange ex, String alias) throws IOException {
        byte[] raw = Http.body(ex);
        if (raw == null) {
            Http.error(ex, 413, "the body must be a small JSON object (at most " + Http.MAX_BODY + " bytes)");
            return;
        }
        String shape = "the body must be a JSON object {\"id\": \"<checkpoint id>\", \"pin\": true|false (optional)}";
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            Http.error(ex, 400, shape + ": " + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        if (body == null || !body.isObject() || !body.path("id").isTextual()
                || (body.has("pin") && !body.get("pin").isBoolean())) {
            Http.error(ex, 400, shape);
            return;
        }
        String id = body.get("id").asText();
        if (!StoreLayout.ID.matcher(id).matches()) {
            Http.error(ex, 400, "a checkpoint id must match " + StoreLayout.ID.pattern() + ", got '" + id + "'");
            return;
        }
        AliasTable t;
        try {
            t = body.has("pin") ? registry.setAlias(alias, id, body.get("pin").asBoolean()) : registry.setAlias(alias, id);
        } catch (NoSuchElementException e) {
            Http.error(ex, 404, e.getMessage() + " (GET " + RegistryRoutes.CHECKPOINTS + " lists them)");
            return;
        } catch (IllegalArgumentException e) {
            Http.error(ex, 400, e.getMessage());
            return;
        }
        Http.json(ex, 200, Json.MAPPER.valueToTree(t));
    }
}
