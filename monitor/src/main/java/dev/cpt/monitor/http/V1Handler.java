package dev.cpt.monitor.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.cpt.core.auth.BearerTokens;
import dev.cpt.core.auth.BearerTokens.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What every {@code /v1} route does first: the method (405 with {@code Allow}), the token (read
 * scope for GET, admin for POST: 401/403), and the raw path, refused with 400 when it holds
 * anything a checkpoint id or file name never needs ({@code %}-escapes, backslashes, NUL, empty,
 * {@code .} or {@code ..} segments). The subclass gets the raw segments after its prefix.
 */
abstract class V1Handler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(V1Handler.class);

    static final String NO_TOKENS = "this server has no tokens, so every /v1 request is refused: set cpt.http.tokens.file"
            + " (or CPT_HTTP_TOKENS) to a file of '<scope> <token>' lines, scope read or admin";

    private final String prefix;
    private final List<String> methods;
    private final BearerTokens tokens;

    V1Handler(String prefix, BearerTokens tokens, String... methods) {
        this.prefix = prefix;
        this.tokens = tokens;
        this.methods = List.of(methods);
    }

    String prefix() {
        return prefix;
    }

    /**
     * Serves an allowed, authorised request with a clean path. Answer through {@link Http} (which
     * closes the exchange), or keep the exchange to answer later.
     */
    abstract void serve(HttpExchange ex, String method, List<String> segments) throws IOException;

    @Override
    public final void handle(HttpExchange ex) {
        try {
            String method = ex.getRequestMethod();
            if (!methods.contains(method)) {
                ex.getResponseHeaders().set("Allow", String.join(", ", methods));
                Http.error(ex, 405, "method " + method + " is not allowed on " + prefix + "; allowed: " + String.join(", ", methods));
                return;
            }
            BearerTokens.Scope scope = method.equals("GET") ? BearerTokens.Scope.READ : BearerTokens.Scope.ADMIN;
            if (tokens.isEmpty()) {
                Http.error(ex, 401, NO_TOKENS);
                return;
            }
            Decision d = tokens.check(ex.getRequestHeaders().getFirst("Authorization"), scope);
            if (d instanceof Decision.Unauthorized u) {
                Http.error(ex, 401, u.reason());
                return;
            }
            if (d instanceof Decision.Forbidden f) {
                Http.error(ex, 403, f.reason());
                return;
            }
            String raw = ex.getRequestURI().getRawPath();
            String bad = unsafe(raw);
            if (bad != null) {
                Http.error(ex, 400, bad);
                return;
            }
            if (!raw.equals(prefix) && !raw.startsWith(prefix + "/")) {
                Http.error(ex, 404, "no route " + raw);
                return;
            }
            List<String> segments = new ArrayList<>(List.of(raw.substring(prefix.length()).split("/", -1)));
            segments.remove(0); // before the first '/' (or the empty rest)
            if (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
                segments.remove(segments.size() - 1); // one trailing slash
            }
            if (segments.contains("")) {
                Http.error(ex, 400, "empty path segment in " + raw + ": names are relative, '/'-separated");
                return;
            }
            serve(ex, method, segments);
        } catch (IOException | RuntimeException e) {
            fail(ex, e);
        }
    }

    static void fail(HttpExchange ex, Exception e) {
        if (e instanceof IOException) {
            log.debug("{} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
        } else {
            log.warn("{} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
        }
        try {
            if (ex.getResponseCode() == -1) {
                Http.error(ex, 500, "internal error: " + e);
            }
        } catch (IOException | RuntimeException ignored) {
            // the client is gone
        } finally {
            ex.close();
        }
    }

    /** Why a raw path is refused, or null when it is clean. */
    static String unsafe(String raw) {
        if (raw == null || !raw.startsWith("/")) {
            return "the path must be absolute: " + raw;
        }
        if (raw.indexOf('%') >= 0) {
            return "percent-escapes are not accepted in paths (ids and file names never need them): " + raw;
        }
        if (raw.indexOf('\\') >= 0 || raw.indexOf('\0') >= 0) {
            return "backslashes and NUL are not accepted in paths: " + raw;
        }
        for (String s : raw.split("/")) {
            if (s.equals(".") || s.equals("..")) {
                return "'.' and '..' are not accepted in paths: " + raw;
            }
        }
        if (raw.contains("//")) {
            return "empty path segment in " + raw + ": names are relative, '/'-separated";
        }
        return null;
    }
}
