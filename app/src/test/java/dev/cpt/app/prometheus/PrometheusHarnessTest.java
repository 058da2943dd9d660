package dev.cpt.app.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.cpt.app.metrics.Metrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The harness against a real Prometheus: the project's registry ({@link Metrics}) with the real
 * trainer and monitor meter classes given known values ({@link CodeMeters}), served on a JDK
 * HttpServer and scraped every second with the alert rules loaded.
 */
class PrometheusHarnessTest {

    private static Metrics metrics;
    private static HttpServer exporter;
    private static PrometheusServer prometheus;
    private static String target;
    private static final AtomicInteger scrapes = new AtomicInteger();
    private static final AtomicReference<String> lastScrape = new AtomicReference<>();
    private static CodeMeters code;

    @BeforeAll
    static void start() throws IOException {
        if (!PrometheusServer.available() || !Promtool.available()) {
            return; // every test skips, saying why (assumeTools)
        }
        metrics = new Metrics();
        code = new CodeMeters(metrics.registry());

        exporter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        exporter.createContext("/metrics", exchange -> {
            String body = metrics.scrape();
            lastScrape.set(body);
            scrapes.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        exporter.start();
        target = "127.0.0.1:" + exporter.getAddress().getPort();

        prometheus = PrometheusServer.start(target, "/metrics", RepoFiles.alerts());
        prometheus.waitForScrapes(2, Duration.ofSeconds(20));
    }

    @BeforeEach
    void assumeTools() {
        assumeTrue(PrometheusServer.available(), Binaries.missing("prometheus"));
        assumeTrue(Promtool.available(), Binaries.missing("promtool"));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.stop(0);
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    void shouldScrapeTheTargetAtLeastTwice() {
        assertThat(scrapes.get()).isGreaterThanOrEqualTo(2);
        JsonNode targets = prometheus.targets();
        assertThat(targets).hasSize(1);
        assertThat(targets.get(0).path("health").asText()).isEqualTo("up");
        assertThat(targets.get(0).path("labels").path("job").asText()).isEqualTo(PrometheusServer.JOB);
    }

    @Test
    void shouldStoreGaugesWithTheirLabelsAndValues() {
        JsonNode f = prometheus.query("cpt_forgetting{stream=\"x\",branch=\"decayed\"}");
        assertThat(f).hasSize(1);
        JsonNode labels = f.get(0).path("metric");
        assertThat(labels.path("__name__").asText()).isEqualTo("cpt_forgetting");
        assertThat(labels.path("stream").asText()).isEqualTo(CodeMeters.STREAM);
        assertThat(labels.path("branch").asText()).isEqualTo("decayed");
        assertThat(labels.path("job").asText()).isEqualTo(PrometheusServer.JOB);
        assertThat(labels.path("instance").asText()).isEqualTo(target);
        assertThat(PrometheusServer.parse(f.get(0).path("value").get(1).asText())).isEqualTo(CodeMeters.FORGETTING_DECAYED);

        JsonNode lr = prometheus.query("cpt_trainer_lr_effective{group=\"" + CodeMeters.GROUP + "\"}");
        assertThat(lr).hasSize(1);
        assertThat(lr.get(0).path("metric").path("group").asText()).isEqualTo(CodeMeters.GROUP);
        assertThat(PrometheusServer.parse(lr.get(0).path("value").get(1).asText())).isCloseTo(CodeMeters.LR_EFFECTIVE, within(1e-12));

        assertThat(prometheus.value("cpt_trainer_loss")).hasValue(CodeMeters.TRAINER_LOSS);
        assertThat(prometheus.value("cpt_trainer_phase{phase=\"stable\"}")).hasValue(1);
        assertThat(prometheus.value("cpt_monitor_dlq_records_total{reason=\"oversize\"}")).hasValue(1);
        assertThat(prometheus.value("cpt_monitor_promotions_total{outcome=\"refused\"}")).hasValue(0);
        assertThat(prometheus.value("cpt_monitor_checkpoint_age_seconds{kind=\"main\"}").orElseThrow()).isBetween(60.0, 120.0);
        // no decayed checkpoint yet: NaN, which only x != x selects
        assertThat(prometheus.value("cpt_monitor_checkpoint_age_seconds{kind=\"decayed\"}").orElseThrow()).isNaN();
        assertThat(prometheus.query("cpt_monitor_checkpoint_age_seconds != cpt_monitor_checkpoint_age_seconds"))
                .extracting(n -> n.path("metric").path("kind").asText()).containsExactly("decayed");
        assertThat(prometheus.value("cpt_backward_transfer{branch=\"decayed\"}")).hasValue(-0.15);
        assertThat(prometheus.value("scalar(cpt_trainer_steps) * 2")).hasValue(2.0 * CodeMeters.STEPS);
        assertThat(prometheus.value("cpt_trainer_loss{stream=\"no-such\"}")).isEmpty();
    }

    @Test
    void shouldSeeANewValueAfterTheNextScrapes() {
        String lag = "cpt_monitor_consumer_lag_records{group=\"cpt-trainer\",topic=\"cpt.sequences\"}";
        assertThat(prometheus.value(lag)).hasValue(12);
        code.monitor.lag("cpt-trainer", "cpt.sequences", OptionalLong.of(20_000));
        int seen = scrapes.get();

        prometheus.waitForScrapes(seen + 2, Duration.ofSeconds(20));

        assertThat(prometheus.value(lag)).hasValue(20_000);
    }

    @Test
    void shouldLoadAndEvaluateTheAlertRulesOnTheRealMeters() throws InterruptedException {
        assertThat(prometheus.rules()).extracting(g -> g.path("name").asText()).containsExactly("cpt");
        assertThat(prometheus.alertNames()).containsAll(AlertRulesTest.REQUIRED).contains("PromotionsRefused", "CptMetricsAbsent");

        // evaluated every second: wait until every rule evaluated without error and the states
        // these meters call for show (forgetting 0.25 > 0.1; a main checkpoint but no decayed one)
        Map<String, String> expected = Map.of(
                "TrainerStalled", "inactive", "LossNonFinite", "inactive", "ForgettingHigh", "pending",
                "NoDecayedCheckpoint/too_old", "inactive", "NoDecayedCheckpoint/never", "pending",
                "DlqRateHigh", "inactive", "PromotionsRefused", "inactive", "CptMetricsAbsent", "inactive");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> unhealthy;
        Map<String, String> states;
        do {
            unhealthy = new ArrayList<>();
            states = new TreeMap<>();
            for (JsonNode r : prometheus.rules().get(0).path("rules")) {
                String name = r.path("name").asText() + (r.path("labels").has("cause") ? "/" + r.path("labels").path("cause").asText() : "");
                if (!r.path("health").asText().equals("ok")) {
                    unhealthy.add(name + " " + r.path("health").asText() + " " + r.path("lastError").asText());
                }
                states.put(name, r.path("state").asText());
            }
        } while ((!unhealthy.isEmpty() || !states.entrySet().containsAll(expected.entrySet()))
                && System.nanoTime() < deadline && sleep());
        assertThat(unhealthy).isEmpty();
        assertThat(states).containsAllEntriesOf(expected);
    }

    /**
     * Lint problems promtool 2.42 finds in meters Micrometer's binders name (not ours):
     * {@code process.cpu.time} in ns, and the {@code system.cpu.count} gauge.
     */
    static final Set<String> MICROMETER_LINT = Set.of("process_cpu_time_ns_total", "system_cpu_count");

    @Test
    void shouldPassPromtoolCheckMetricsOnTheCptMeters() {
        String cpt = cptFamilies(lastScrape.get());
        assertThat(cpt).contains("cpt_forgetting{", "cpt_trainer_lr_effective{", "# TYPE cpt_monitor_dlq_records_total counter",
                "cpt_trainer_step_seconds_count");

        Promtool.Result r = Promtool.checkMetrics(cpt);

        System.out.println("promtool check metrics, cpt meters (exit " + r.exitCode() + "):\n" + r.output());
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void shouldParseTheWholeScrapeWithLintOnlyInMicrometersOwnMeters() {
        Promtool.Result r = Promtool.checkMetrics(lastScrape.get());

        System.out.println("promtool check metrics, whole scrape (exit " + r.exitCode() + "):\n" + r.output());
        assertThat(r.exitCode()).as(r.output()).isIn(0, Promtool.LINT_PROBLEMS);
        assertThat(r.lintProblems().keySet()).as(r.output()).isSubsetOf(MICROMETER_LINT);
    }

    /** The exposition's cpt_* families: their HELP, TYPE and sample lines. */
    static String cptFamilies(String exposition) {
        StringBuilder out = new StringBuilder();
        for (String line : exposition.split("\n")) {
            String name = line.startsWith("# ") ? line.split(" ", 4)[2] : line;
            if (name.startsWith("cpt_")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(200);
        return true;
    }
}
