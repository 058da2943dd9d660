package dev.cpt.app.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP server on the JDK's {@link HttpServer}: GET and POST routes answering with a
 * status, a content type and a body. Requests are served by a small pool so that a slow scrape does not
 * block a health check.
 */
public final class HttpEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);

    /** What a route answers. */
    public record Response(int status, String contentType, String body) {
        public static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body);
        }

        public static Response json(int status, String body) {
            return new Response(status, "application/json", body);
        }
    }

    /** A GET handler. */
    @FunctionalInterface
    public interface Route {
        Response get();
    }

    /** A request as a handler sees it: the body is read whole (at most {@link #MAX_BODY} bytes). */
    public record Request(String method, String path, Headers headers, byte[] body) {
        /** The first value of a header, or null. */
        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** A handler of a method other than GET. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request);
    }

    /** Larger request bodies are refused with 413: every body we accept is a small JSON object. */
    public static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService pool;

    private HttpEndpoint(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /** Binds {@code host:port} (0 = a free port) and starts serving nothing yet; add routes with {@link #route}. */
    public static HttpEndpoint start(String host, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port
                    + " (cpt.http.host / cpt.http.port): " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "cpt-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.start();
        return new HttpEndpoint(server, pool);
    }

    public HttpEndpoint route(String path, Route route) {
        server.createContext(path, exchange -> handle(exchange, path, "GET", r -> route.get()));
        return this;
    }

    /** Serves {@code GET path} (and HEAD) with a handler that sees the request (headers, e.g. for tokens). */
    public HttpEndpoint get(String path, Handler handler) {
        server.createContext(path, exchange -> handle(exchange, path, "GET", handler));
        return this;
    }

    /** The underlying server, for parts that install their own contexts (the checkpoint registry). */
    public HttpServer server() {
        return server;
    }

    /** Serves {@code POST path} with {@code handler}; other methods get 405. */
    public HttpEndpoint post(String path, Handler handler) {
        server.createContext(path, exchange -> handle(exchange, path, "POST", handler));
        return this;
    }

    private static void handle(HttpExchange exchange, String path, String method, Handler handler) throws IOException {
        try (exchange) {
            String m = exchange.getRequestMethod();
            boolean get = method.equals("GET");
            Response r;
            if (!exchange.getRequestURI().getPath().equals(path)) {
                r = Response.text(404, "not found: " + exchange.getRequestURI().getPath() + "\n");
            } else if (!(m.equals(method) || (get && m.equals("HEAD")))) {
                exchange.getResponseHeaders().set("Allow", get ? "GET, HEAD" : method);
                r = Response.text(405, "method " + m + " not allowed on " + path + "; use " + method + "\n");
            } else {
                byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
                if (body.length > MAX_BODY) {
                    r = Response.text(413, "request body over " + MAX_BODY + " bytes\n");
                } else {
                    try {
                        r = handler.handle(new Request(m, path, exchange.getRequestHeaders(), body));
                    } catch (RuntimeException e) {
                        log.warn("{} {} failed", m, path, e);
                        r = Response.text(500, "internal error: " + e.getMessage() + "\n");
                    }
                }
            }
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", r.contentType());
            if (r.status() == 401) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"cpt\"");
            }
            boolean head = m.equals("HEAD");
            exchange.sendResponseHeaders(r.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(body);
                }
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdown();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
