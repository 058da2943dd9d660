package dev.cpt.monitor.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cpt.core.format.Json;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small pieces every route uses: JSON answers, errors, ETags, query strings. */
final class Http {

    static final String JSON = "application/json";

    /** Request bodies we accept are small JSON objects. */
    static final int MAX_BODY = 64 * 1024;

    private Http() {
    }

    static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes;
        try {
            bytes = (Json.MAPPER.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot write JSON", e);
        }
        send(ex, status, JSON, bytes);
    }

    /** {@code {"error": message}}; a 401 also carries {@code WWW-Authenticate: Bearer}. */
    static void error(HttpExchange ex, int status, String message) throws IOException {
        if (status == 401) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"cpt\"");
        }
        json(ex, status, Json.MAPPER.createObjectNode().put("error", message));
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        try (ex) {
            if (contentType != null) {
                ex.getResponseHeaders().set("Content-Type", contentType);
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            }
        }
    }

    /** An answer without a body (304). */
    static void empty(HttpExchange ex, int status) throws IOException {
        try (ex) {
            ex.sendResponseHeaders(status, -1);
        }
    }

    static String quote(String tag) {
        return "\"" + tag + "\"";
    }

    /** Whether an {@code If-None-Match} value (a list, {@code *}, weak tags) matches {@code etag} (quoted). */
    static boolean noneMatchHits(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** The query's parameters (first value wins), decoded; empty when there is none. */
    static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                out.putIfAbsent(k, v); // a bad escape: kept raw, so the route's validation names it
            }
        }
        return out;
    }

    /** Reads the request body, at most {@link #MAX_BODY} bytes; null when it is larger. */
    static byte[] body(HttpExchange ex) throws IOException {
        byte[] b = ex.getRequestBody().readNBytes(MAX_BODY + 1);
        return b.length > MAX_BODY ? null : b;
    }
}
