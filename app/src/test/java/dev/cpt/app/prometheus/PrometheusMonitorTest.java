package dev.cpt.app.prometheus;

import dev.cpt.app.standalone.Standalone;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.format.Json;
import dev.cpt.core.format.TelemetryEvent;
import dev.cpt.core.kafka.Topics;
import dev.cpt.core.store.Manifest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Prometheus scraping the monitor of {@code cpt} (the MONITOR part with its embedded broker),
 * fed with telemetry and checkpoint events through Kafka: the forgetting and effective-LR series
 * exist with their labels in Prometheus, and promtool accepts the scrape.
 */
class PrometheusMonitorTest {

    @TempDir
    Path dir;

    private static void send(String bootstrap, String topic, String key, Object value) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, key, Json.MAPPER.writeValueAsBytes(value))).get();
        }
    }

    private static CheckpointEvent checkpoint(String id, Manifest.Kind kind, long step, Map<String, Long> tokens, Map<String, Double> loss) {
        return new CheckpointEvent(System.currentTimeMillis(), id, kind, step, step, step * 100, tokens, loss, null, "x/" + id, "00");
    }

    @Test
    void shouldExposeForgettingAndEffectiveLearningRateSeriesToARealPrometheus() throws Exception {
        assumeTrue(PrometheusServer.available() && Promtool.available(), "prometheus/promtool missing: .ci/run installs Debian's prometheus");
        var config = ConfigLoader.load(Optional.empty(), Map.of(), List.of("cpt.data.dir=" + dir.resolve("data"),
                "cpt.store.dir=" + dir.resolve("store"), "cpt.http.port=0"));
        try (Standalone s = Standalone.start(config, EnumSet.of(Standalone.Part.MONITOR), true)) {
            String b = s.bootstrapServers();
            send(b, Topics.TELEMETRY, "main", new TelemetryEvent(System.currentTimeMillis(), 300, 30000, Map.of("news", 20000L), 2.4,
                    1e-3, "stable", 0.8, 4000, 0.2, Map.of(), Map.of("matrix", new TelemetryEvent.GroupStats(40, 0.002, 6.25e-7),
                    "embedding", new TelemetryEvent.GroupStats(30, 0.001, 1.1e-6)), 0, false));
            send(b, Topics.CHECKPOINTS, "main-000000000100", checkpoint("main-000000000100", Manifest.Kind.MAIN, 100,
                    Map.of("news", 10000L), Map.of("news", 2.8)));
            send(b, Topics.CHECKPOINTS, "main-000000000200", checkpoint("main-000000000200", Manifest.Kind.MAIN, 200,
                    Map.of("news", 10000L, "code", 5000L), Map.of("news", 3.1, "code", 2.2)));

            URI url = URI.create(s.url());
            try (PrometheusServer prometheus = PrometheusServer.start(url.getHost() + ":" + url.getPort(), "/metrics",
                    RepoFiles.alerts())) {
                prometheus.waitForScrapes(2, Duration.ofSeconds(60));
                for (int i = 0; i < 100 && prometheus.value("cpt_forgetting{stream=\"news\",branch=\"main\"}").isEmpty(); i++) {
                    Thread.sleep(200);
                }
                assertThat(prometheus.value("cpt_forgetting{stream=\"news\",branch=\"main\"}")).hasValueCloseTo(0.3, within(1e-9));
                assertThat(prometheus.value("cpt_backward_transfer{branch=\"main\"}")).hasValueCloseTo(-0.3, within(1e-9));
                assertThat(prometheus.value("cpt_trainer_lr_effective{group=\"matrix\"}")).hasValue(6.25e-7);
                assertThat(prometheus.value("cpt_trainer_weight_norm{group=\"embedding\"}")).hasValue(30.0);
                assertThat(prometheus.value("cpt_trainer_update_ratio{group=\"matrix\"}")).hasValue(0.002);
                assertThat(prometheus.value("count(cpt_eval_loss{branch=\"main\"})")).hasValue(2.0);
                assertThat(prometheus.alertNames()).contains("ForgettingHigh", "TrainerStalled");
            }
            String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Promtool.Result r = Promtool.checkMetrics(PrometheusHarnessTest.cptFamilies(scrape));
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
    }
}
