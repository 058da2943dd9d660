package dev.cpt.monitor.http;

import com.sun.net.httpserver.HttpServer;
import dev.cpt.core.auth.BearerTokens;
import dev.cpt.monitor.registry.Promotions;
import dev.cpt.monitor.registry.Registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A server of the registry's own: the JDK's {@link HttpServer} on a modest pool of
 * {@link #THREADS} threads (long-polls hold no thread) with {@link RegistryRoutes} installed.
 */
public final class RegistryServer implements AutoCloseable {

    public static final int THREADS = 8;

    private final HttpServer server;
    private final ExecutorService pool;
    private final RegistryRoutes routes;

    private RegistryServer(HttpServer server, ExecutorService pool, RegistryRoutes routes) {
        this.server = server;
        this.pool = pool;
        this.routes = routes;
    }

    /** Binds {@code host:port} (0: a free port) and serves the routes; see {@link RegistryRoutes#install}. */
    public static RegistryServer start(String host, int port, Registry registry, Promotions promotions, BearerTokens tokens,
                                       Duration longPollMax, Optional<URI> trainerUrl, Supplier<String> forgetting)
            throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 128);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "cpt-registry-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        RegistryRoutes routes = RegistryRoutes.install(server, registry, promotions, tokens, longPollMax, trainerUrl, forgetting);
        server.start();
        return new RegistryServer(server, pool, routes);
    }

    /** The same without a forgetting report. */
    public static RegistryServer start(String host, int port, Registry registry, Promotions promotions, BearerTokens tokens,
                                       Duration longPollMax, Optional<URI> trainerUrl) throws IOException {
        return start(host, port, registry, promotions, tokens, longPollMax, trainerUrl, () -> null);
    }

    public HttpServer server() {
        return server;
    }

    public RegistryRoutes routes() {
        return routes;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
    }

    @Override
    public void close() {
        routes.close(); // answers held long-polls first
        server.stop(0);
        pool.shutdown();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
