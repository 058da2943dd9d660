package dev.cpt.monitor.http;

import com.sun.net.httpserver.HttpServer;
import dev.cpt.core.auth.BearerTokens;
import dev.cpt.monitor.registry.Promotions;
import dev.cpt.monitor.registry.Registry;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The registry's routes, installed on an existing {@link HttpServer}:
 * <ul>
 *   <li>{@code GET /v1/checkpoints[?kind=main|decayed]}, {@code GET /v1/checkpoints/{id}},
 *       {@code GET /v1/checkpoints/{id}/files/{name...}} (ETag, Range)</li>
 *   <li>{@code GET /v1/aliases}, {@code GET /v1/aliases/{alias}[?wait=30s]} (long-poll with
 *       {@code If-None-Match}), {@code POST /v1/aliases/{alias}} (admin)</li>
 *   <li>{@code POST /v1/branches} (admin): forwarded to the trainer</li>
 *   <li>{@code GET /v1/forgetting}: the JSON of a supplier</li>
 * </ul>
 * Every route needs a bearer token: read scope for GET, admin for POST. {@link #close} removes the
 * routes and answers held long-polls.
 */
public final class RegistryRoutes implements AutoCloseable {

    public static final String CHECKPOINTS = "/v1/checkpoints";
    public static final String ALIASES = "/v1/aliases";
    public static final String BRANCHES = "/v1/branches";
    public static final String FORGETTING = "/v1/forgetting";

    private static final List<String> PATHS = List.of(CHECKPOINTS, ALIASES, BRANCHES, FORGETTING);

    private final HttpServer server;
    private final ScheduledExecutorService timer;
    private final AliasesHandler aliases;

    private RegistryRoutes(HttpServer server, ScheduledExecutorService timer, AliasesHandler aliases) {
        this.server = server;
        this.timer = timer;
        this.aliases = aliases;
    }

    /** Installs the routes without a forgetting report ({@code GET /v1/forgetting} answers 503). */
    public static RegistryRoutes install(HttpServer server, Registry registry, Promotions promotions, BearerTokens tokens,
                                         Duration longPollMax, Optional<URI> trainerUrl) {
        return install(server, registry, promotions, tokens, longPollMax, trainerUrl, () -> null);
    }

    /**
     * @param longPollMax the longest {@code ?wait=} honoured (longer ones are capped)
     * @param trainerUrl where {@code POST /v1/branches} goes ({@code cpt.monitor.trainer.url}); empty: 503
     * @param forgetting the JSON body of {@code GET /v1/forgetting}; null from it: 503
     * @throws IllegalArgumentException when the server already has one of these paths
     */
    public static RegistryRoutes install(HttpServer server, Registry registry, Promotions promotions, BearerTokens tokens,
                                         Duration longPollMax, Optional<URI> trainerUrl, Supplier<String> forgetting) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(promotions, "promotions");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(trainerUrl, "trainerUrl");
        if (longPollMax.isNegative()) {
            throw new IllegalArgumentException("longPollMax must not be negative: " + longPollMax);
        }
        AtomicInteger n = new AtomicInteger();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "cpt-registry-poll-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AliasesHandler aliases = new AliasesHandler(registry, tokens, longPollMax, timer);
        server.createContext(CHECKPOINTS, new CheckpointsHandler(registry, promotions, tokens));
        server.createContext(ALIASES, aliases);
        server.createContext(BRANCHES, new BranchesForwarder(tokens, trainerUrl));
        server.createContext(FORGETTING, new ForgettingHandler(tokens, forgetting));
        return new RegistryRoutes(server, timer, aliases);
    }

    /** Long-polls held now. */
    public int heldLongPolls() {
        return aliases.held();
    }

    @Override
    public void close() {
        for (String p : PATHS) {
            try {
                server.removeContext(p);
            } catch (IllegalArgumentException ignored) {
                // already removed
            }
        }
        aliases.close();
        timer.shutdown();
    }
}
