package dev.cpt.monitor.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cpt.core.auth.BearerTokens;
import dev.cpt.core.format.Json;
import dev.cpt.core.store.FileEntry;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import dev.cpt.monitor.registry.CheckpointFile;
import dev.cpt.monitor.registry.Promotions;
import dev.cpt.monitor.registry.Registry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/checkpoints[?kind=main|decayed]}, {@code GET /v1/checkpoints/{id}} and
 * {@code GET /v1/checkpoints/{id}/files/{name...}}.
 */
final class CheckpointsHandler extends V1Handler {

    private final Registry registry;
    private final Promotions promotions;

    CheckpointsHandler(Registry registry, Promotions promotions, BearerTokens tokens) {
        super(RegistryRoutes.CHECKPOINTS, tokens, "GET");
        this.registry = registry;
        this.promotions = promotions;
    }

    @Override
    void serve(HttpExchange ex, String method, List<String> segments) throws IOException {
        if (segments.isEmpty()) {
            list(ex);
            return;
        }
        String id = segments.get(0);
        if (!StoreLayout.ID.matcher(id).matches()) {
            Http.error(ex, 400, "a checkpoint id must match " + StoreLayout.ID.pattern() + ", got '" + id + "'");
            return;
        }
        if (segments.size() == 1) {
            Optional<Manifest> m = registry.manifest(id);
            if (m.isEmpty()) {
                Http.error(ex, 404, "no checkpoint " + id + " (GET " + prefix() + " lists them)");
                return;
            }
            ObjectNode body = Json.MAPPER.valueToTree(m.get());
            body.set("promotion", promotion(id));
            Http.json(ex, 200, body);
            return;
        }
        if (!segments.get(1).equals("files") || segments.size() < 3) {
            Http.error(ex, 404, "no route " + ex.getRequestURI().getRawPath()
                    + "; routes: " + prefix() + "/{id} and " + prefix() + "/{id}/files/{name}");
            return;
        }
        String name = String.join("/", segments.subList(2, segments.size()));
        if (!Registry.isFileName(name)) {
            Http.error(ex, 400, "a file name must be '/'-separated segments matching " + StoreLayout.FILE_NAME.pattern()
                    + ", got '" + name + "'");
            return;
        }
        Optional<CheckpointFile> file = registry.open(id, name);
        if (file.isPresent()) {
            FileResponder.send(ex, file.get());
            return;
        }
        Optional<Manifest> m = registry.manifest(id);
        if (m.isEmpty()) {
            Http.error(ex, 404, "no checkpoint " + id + " (GET " + prefix() + " lists them)");
            return;
        }
        List<String> names = m.get().files().stream().map(FileEntry::name).toList();
        String listed = names.stream().limit(12).collect(Collectors.joining(", ")) + (names.size() > 12 ? ", ..." : "");
        Http.error(ex, 404, "checkpoint " + id + " has no file " + name + "; its manifest lists: " + listed);
    }

    private void list(HttpExchange ex) throws IOException {
        String kindWord = Http.query(ex).get("kind");
        Optional<Manifest.Kind> kind = Optional.empty();
        if (kindWord != null) {
            try {
                kind = Optional.of(Manifest.Kind.of(kindWord));
            } catch (IllegalArgumentException e) {
                Http.error(ex, 400, "kind must be main or decayed, got '" + kindWord + "'");
                return;
            }
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Manifest m : registry.list(kind)) {
            ObjectNode o = out.addObject();
            o.put("id", m.id());
            o.put("kind", m.kind().word());
            o.put("step", m.step());
            o.put("tokens", m.tokens());
            o.put("createdMs", m.createdMs());
            o.set("evalLoss", Json.MAPPER.valueToTree(m.evalLoss()));
            o.set("predictedLoss", Json.MAPPER.valueToTree(m.predictedLoss()));
            o.set("promotion", promotion(m.id()));
        }
        Http.json(ex, 200, out);
    }

    private JsonNode promotion(String id) {
        return promotions.read(id).<JsonNode>map(Json.MAPPER::valueToTree).orElse(Json.MAPPER.nullNode());
    }
}
