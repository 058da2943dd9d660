package dev.cpt.app.standalone;

import dev.cpt.app.http.BranchRoute;
import dev.cpt.app.http.HttpEndpoint;
import dev.cpt.app.http.HttpEndpoint.Response;
import dev.cpt.app.metrics.Metrics;
import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.CoreSettings;
import dev.cpt.core.config.KafkaSettings;
import dev.cpt.core.kafka.TopicProvisioner;
import dev.cpt.core.kafka.TopicSpec;
import dev.cpt.ingest.IngestService;
import dev.cpt.core.auth.BearerTokens;
import dev.cpt.core.config.MonitorSettings;
import dev.cpt.app.metrics.PrometheusText;
import java.net.URI;
import java.util.Optional;
import dev.cpt.core.format.BranchRequest;
import dev.cpt.trainer.TrainerService;
import dev.cpt.trainer.branch.BranchRequests;
import java.util.function.BiFunction;
import dev.cpt.ingest.demo.DemoPlan;
import dev.cpt.ingest.demo.DemoProducer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The parts of cpt that one process runs, started in flow order and closed in reverse: the
 * embedded broker (only when no cluster is configured and the caller allows it), the topics, the
 * chosen parts, and the HTTP server with {@code /healthz} and {@code /metrics}.
 */
public final class Standalone implements AutoCloseable {

    /** The parts a process can run besides the broker and the HTTP server. */
    public enum Part { INGEST, TRAINER, MONITOR }

    private static final Logger log = LoggerFactory.getLogger(Standalone.class);

    private final Closer closer;
    private final HttpEndpoint http;
    private final String bootstrapServers;
    private final List<String> createdTopics;

    private Standalone(Closer closer, HttpEndpoint http, String bootstrapServers, List<String> createdTopics) {
        this.closer = closer;
        this.http = http;
        this.bootstrapServers = bootstrapServers;
        this.createdTopics = createdTopics;
    }

    /** Starts everything with an embedded broker when no cluster is configured; on failure, closes what had started and rethrows. */
    public static Standalone start(Config config) {
        return start(config, java.util.EnumSet.allOf(Part.class), true);
    }

    /**
     * @param embeddedBroker whether to start a broker when {@code cpt.kafka.bootstrap.servers} is empty;
     *     when false, an empty setting is a configuration error
     */
    public static Standalone start(Config config, java.util.Set<Part> parts, boolean embeddedBroker) {
        Closer closer = new Closer();
        try {
            Metrics metrics = closer.register("metrics", new Metrics());
            String bootstrap = config.get(KafkaSettings.BOOTSTRAP_SERVERS).strip();
            if (bootstrap.isEmpty() && !embeddedBroker) {
                throw new dev.cpt.core.config.ConfigException("cpt.kafka.bootstrap.servers is empty: set it to the Kafka cluster"
                        + " to use (host:port,...), or run `cpt standalone`, which starts its own broker");
            }
            if (bootstrap.isEmpty()) {
                Path dir = config.get(CoreSettings.DATA_DIR).resolve("kafka");
                EmbeddedBroker broker = closer.register("embedded broker", EmbeddedBroker.start(dir,
                        config.get(KafkaSettings.BROKER_PORT), config.get(KafkaSettings.CONTROLLER_PORT), Map.of()));
                bootstrap = broker.bootstrapServers();
            } else {
                log.info("using Kafka cluster {}; no embedded broker", bootstrap);
            }
            Duration timeout = config.get(KafkaSettings.ADMIN_TIMEOUT);
            AdminClient admin = closer.register("admin client", AdminClient.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.CLIENT_ID_CONFIG, "cpt-standalone-admin",
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000))));
            KafkaClientMetrics adminMetrics = closer.register("admin client meters", new KafkaClientMetrics(admin));
            adminMetrics.bindTo(metrics.registry());
            List<String> created = TopicProvisioner.ensure(admin, TopicSpec.forFlow(config), timeout, bootstrap);
            if (!created.isEmpty()) {
                log.info("created topics {}", created);
            }
            // the trainer never shares a JVM with the broker or Kafka Streams (see TrainerProcess)
            BearerTokens tokens = tokens(config);
            TrainerProcess child = null;
            BiFunction<BranchRequest, String, BranchRequests.Outcome> branches = null;
            if (parts.contains(Part.TRAINER) && (embeddedBroker || parts.contains(Part.INGEST))) {
                child = closer.register("trainer process", TrainerProcess.start(config, bootstrap, Duration.ofMinutes(3)));
            } else if (parts.contains(Part.TRAINER)) {
                branches = closer.register("trainer", TrainerService.start(config, bootstrap, metrics.registry(),
                        Duration.ofMinutes(2)))::requestBranch;
            }
            if (parts.contains(Part.INGEST)) {
                closer.register("ingest", IngestService.start(config, bootstrap, metrics.registry(), Duration.ofSeconds(60)));
            }
            HttpEndpoint http = closer.register("http server",
                    HttpEndpoint.start(config.get(CoreSettings.HTTP_HOST), config.get(CoreSettings.HTTP_PORT)));
            String cluster = bootstrap;
            TrainerProcess trainer = child;
            boolean protect = config.get(MonitorSettings.PROTECT_METRICS);
            http.get("/healthz", r -> guarded(protect, tokens, r, () -> health(admin, cluster)))
                    .get("/metrics", r -> guarded(protect, tokens, r, () -> {
                        String own = metrics.scrape();
                        // the child's own learning meters, unless this process's monitor already exports the family
                        String child2 = trainer == null ? "" : PrometheusText.withoutFamiliesOf(trainer.cptMetrics(), own);
                        return new Response(200, "text/plain; version=0.0.4; charset=utf-8", own + child2);
                    }));
            if (parts.contains(Part.MONITOR)) {
                closer.register("monitor", MonitorPart.start(config, bootstrap, metrics.registry(), http.server(), tokens,
                        Optional.ofNullable(trainer).map(t -> URI.create(t.url()))));
            } else if (branches != null) {
                http.post(BranchRoute.PATH, new BranchRoute(tokens, branches));
            }
            return new Standalone(closer, http, bootstrap, created);
        } catch (RuntimeException e) {
            closer.close();
            throw e;
        }
    }

    private static Response guarded(boolean protect, BearerTokens tokens, HttpEndpoint.Request r,
                                    java.util.function.Supplier<Response> route) {
        if (protect) {
            Response denied = dev.cpt.app.http.Auth.require(tokens, r, BearerTokens.Scope.READ);
            if (denied != null) {
                return denied;
            }
        }
        return route.get();
    }

    /** The bearer tokens of cpt.http.tokens.file and cpt.http.tokens (the environment). A bad file stops start-up. */
    static BearerTokens tokens(Config config) {
        BearerTokens tokens = BearerTokens.parse(config.get(CoreSettings.HTTP_TOKENS));
        String file = config.get(CoreSettings.HTTP_TOKENS_FILE).strip();
        if (file.isEmpty()) {
            return tokens;
        }
        try {
            return tokens.and(BearerTokens.load(Path.of(file)));
        } catch (java.io.IOException e) {
            throw new dev.cpt.core.config.ConfigException(CoreSettings.HTTP_TOKENS_FILE.key() + "=" + file + ": " + e.getMessage());
        }
    }

    private static Response health(Admin admin, String cluster) {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS).size();
            return Response.json(200, "{\"status\":\"up\",\"kafka\":{\"status\":\"up\",\"bootstrap\":\"" + cluster + "\",\"nodes\":" + nodes + "}}\n");
        } catch (Exception e) {
            return Response.json(503, "{\"status\":\"down\",\"kafka\":{\"status\":\"down\",\"bootstrap\":\"" + cluster
                    + "\",\"error\":\"" + String.valueOf(e.getMessage()).replace("\\", "\\\\").replace("\"", "'") + "\"}}\n");
        }
    }

    /**
     * Starts pushing the built-in demo streams ({@link DemoPlan#standard()}) to the documents topic;
     * progress is kept under {@code cpt.data.dir}, so a restart continues with new documents.
     */
    public void startDemo(Config config, double docsPerSecond) {
        DemoPlan plan = DemoPlan.standard();
        closer.register("demo producer", DemoProducer.start(bootstrapServers, dev.cpt.core.kafka.Topics.from(config).docs(),
                plan, docsPerSecond, config.get(CoreSettings.DATA_DIR).resolve("demo-progress.properties")));
    }

    /** {@code http://host:port} of the HTTP server. */
    public String url() {
        return http.url();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Topics this start created (empty when they all existed). */
    public List<String> createdTopics() {
        return createdTopics;
    }

    /** Stops every part, last started first; flushes the broker's logs. */
    @Override
    public void close() {
        closer.close();
    }
}
