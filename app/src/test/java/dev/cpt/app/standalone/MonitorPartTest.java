package dev.cpt.app.standalone;

import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.format.Json;
import dev.cpt.core.kafka.Topics;
import dev.cpt.core.store.Checksums;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The monitor part in a process: protected metrics, the registry, and the promotion gate fed through Kafka. */
class MonitorPartTest {

    private static final String READ = "read-token-abcdefghijklmnop";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Writes a decayed checkpoint into the store as the trainer would, and announces it. */
    private void publish(Path store, String bootstrap, String id, Map<String, Double> loss, Map<String, Long> tokens) throws Exception {
        Path d = new StoreLayout(store).dirOf(id).orElseThrow();
        Files.createDirectories(d);
        Files.writeString(d.resolve(StoreLayout.MODEL), "weights of " + id);
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, id, Manifest.Kind.DECAYED, "wsd", System.currentTimeMillis(), 10, 100,
                tokens, 8, null, Map.of(), "byte-v1", 259, loss, null, null, null, Checksums.entries(d, StoreLayout.MANIFEST));
        m.write(d);
        try (KafkaProducer<String, CheckpointEvent> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), Json.serde(CheckpointEvent.class).serializer())) {
            p.send(new ProducerRecord<>(Topics.CHECKPOINTS, id, CheckpointEvent.of(m, "branches/" + id,
                    Checksums.sha256(d.resolve(StoreLayout.MANIFEST))))).get();
        }
    }

    private static String latest(String url) throws Exception {
        HttpResponse<String> r = get(url + "/v1/aliases/latest", READ);
        return r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()).path("id").asText() : "";
    }

    @Test
    void shouldProtectMetricsOnRequestAndPromoteOnlyCheckpointsThatPassTheGate() throws Exception {
        Path store = dir.resolve("store");
        Path tokens = Files.writeString(dir.resolve("tokens"), "read " + READ + "\n");
        var config = ConfigLoader.load(Optional.empty(), Map.of(), List.of("cpt.data.dir=" + dir.resolve("data"),
                "cpt.store.dir=" + store, "cpt.http.port=0", "cpt.http.tokens.file=" + tokens, "cpt.monitor.protect.metrics=true"));
        try (Standalone s = Standalone.start(config, EnumSet.of(Standalone.Part.MONITOR), true)) {
            assertThat(get(s.url() + "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(s.url() + "/healthz", null).statusCode()).isEqualTo(401);
            HttpResponse<String> metrics = get(s.url() + "/metrics", READ);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("cpt_monitor_promotions_total", "cpt_backward_transfer");

            publish(store, s.bootstrapServers(), "b000001-f8", Map.of("a", 2.0), Map.of("a", 100L));
            for (int i = 0; i < 200 && !latest(s.url()).equals("b000001-f8"); i++) {
                Thread.sleep(50);
            }
            assertThat(latest(s.url())).as("the first decayed checkpoint is promoted").isEqualTo("b000001-f8");

            // 5% worse on stream a: refused, and the reason is in the manifest view
            publish(store, s.bootstrapServers(), "b000002-f16", Map.of("a", 2.1), Map.of("a", 200L));
            HttpResponse<String> view = get(s.url() + "/v1/checkpoints/b000002-f16", READ);
            for (int i = 0; i < 200 && !view.body().contains("\"promotion\":{"); i++) {
                Thread.sleep(50);
                view = get(s.url() + "/v1/checkpoints/b000002-f16", READ);
            }
            assertThat(Json.MAPPER.readTree(view.body()).path("promotion").path("promoted").asBoolean(true)).isFalse();
            assertThat(Json.MAPPER.readTree(view.body()).path("promotion").path("reason").asText()).contains("a");
            assertThat(latest(s.url())).isEqualTo("b000001-f8");

            publish(store, s.bootstrapServers(), "b000003-f24", Map.of("a", 1.9), Map.of("a", 300L));
            for (int i = 0; i < 200 && !latest(s.url()).equals("b000003-f24"); i++) {
                Thread.sleep(50);
            }
            assertThat(latest(s.url())).isEqualTo("b000003-f24");
            assertThat(get(s.url() + "/metrics", READ).body()).contains("cpt_monitor_promotions_total{outcome=\"refused\"} 1.0",
                    "cpt_monitor_promotions_total{outcome=\"promoted\"} 2.0");
        }
    }
}
