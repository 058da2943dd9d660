package dev.cpt.app.standalone;

import com.sun.net.httpserver.HttpServer;
import dev.cpt.core.auth.BearerTokens;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.CoreSettings;
import dev.cpt.core.config.MonitorSettings;
import dev.cpt.monitor.MonitorService;
import dev.cpt.monitor.http.RegistryRoutes;
import dev.cpt.monitor.registry.Promoter;
import dev.cpt.monitor.registry.PromotionGate;
import dev.cpt.monitor.registry.Promotions;
import dev.cpt.monitor.registry.Registry;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The monitor as a part of a process: the metrics side ({@link MonitorService}), the promotion
 * gate on every decayed checkpoint, and the registry's {@code /v1} routes on the process's HTTP
 * server (including {@code POST /v1/branches}, forwarded to the trainer).
 */
final class MonitorPart implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MonitorPart.class);

    private final Registry registry;
    private final MonitorService service;
    private final RegistryRoutes routes;

    private MonitorPart(Registry registry, MonitorService service, RegistryRoutes routes) {
        this.registry = registry;
        this.service = service;
        this.routes = routes;
    }

    static MonitorPart start(Config config, String bootstrap, MeterRegistry meters, HttpServer server, BearerTokens tokens,
                             Optional<URI> trainerUrl) {
        Path store = CoreSettings.storeDir(config);
        Registry registry = new Registry(store);
        Promotions promotions = new Promotions(store);
        Promoter promoter = new Promoter(registry, promotions, new PromotionGate(config.get(MonitorSettings.PROMOTION_MAX_REGRESSION)));
        MonitorService[] service = new MonitorService[1];
        service[0] = MonitorService.start(config, bootstrap, meters, event -> {
            if (promotions.read(event.id()).isPresent()) {
                return; // decided before a restart: the history is read again from the start
            }
            try {
                var p = promoter.consider(event.id());
                service[0].promotion(p.promoted());
                log.info("checkpoint {} {}: {}", p.id(), p.promoted() ? "promoted to latest" : "not promoted", p.reason());
            } catch (NoSuchElementException e) {
                log.warn("checkpoint {} was announced but is not in the store {} (deleted, or another store)", event.id(), store);
            } catch (java.io.IOException e) {
                log.error("cannot decide on checkpoint {}: {}", event.id(), e.toString());
            }
        });
        Optional<URI> trainer = trainerUrl.or(() -> Optional.of(config.get(MonitorSettings.TRAINER_URL).strip())
                .filter(s -> !s.isEmpty()).map(URI::create));
        RegistryRoutes routes = RegistryRoutes.install(server, registry, promotions, tokens, config.get(MonitorSettings.LONG_POLL_MAX),
                trainer, service[0]::forgettingJson);
        return new MonitorPart(registry, service[0], routes);
    }

    MonitorService service() {
        return service;
    }

    @Override
    public void close() {
        routes.close();
        service.close();
        registry.close();
    }
}
