package dev.cpt.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.format.DocHeaders;
import dev.cpt.core.format.Json;
import dev.cpt.core.format.TelemetryEvent;
import dev.cpt.core.kafka.Topics;
import dev.cpt.core.store.Manifest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The monitor's metrics side against a real broker: events in, meters, the loss matrix and gate calls out. */
class MonitorServiceTest {

    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.startTemporary();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.TELEMETRY, 1, (short) 1), new NewTopic(Topics.CHECKPOINTS, 1, (short) 1),
                    new NewTopic(Topics.DLQ, 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static void send(String topic, String key, Object value, String dlqReason) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                    value instanceof byte[] b ? b : Json.MAPPER.writeValueAsBytes(value));
            if (dlqReason != null) {
                r.headers().add(DocHeaders.ERROR, dlqReason.getBytes(StandardCharsets.UTF_8));
            }
            p.send(r).get();
        }
    }

    private static CheckpointEvent checkpoint(String id, Manifest.Kind kind, long step, Map<String, Long> tokens, Map<String, Double> loss) {
        return new CheckpointEvent(System.currentTimeMillis(), id, kind, step, step, step * 100, tokens, loss,
                kind == Manifest.Kind.DECAYED ? 2.0 : null, "x/" + id, "00");
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    @Test
    void shouldTurnTelemetryCheckpointsAndDeadLettersIntoMetersAndTheLossMatrix() throws Exception {
        send(Topics.CHECKPOINTS, "main-000000000100", checkpoint("main-000000000100", Manifest.Kind.MAIN, 100,
                Map.of("a", 1000L), Map.of("a", 3.0)), null);
        send(Topics.CHECKPOINTS, "main-000000000200", checkpoint("main-000000000200", Manifest.Kind.MAIN, 200,
                Map.of("a", 1000L, "b", 1000L), Map.of("a", 3.4, "b", 2.0)), null);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<String> decayed = new CopyOnWriteArrayList<>();
        var config = ConfigLoader.load(Optional.empty(), Map.of(), List.of("cpt.monitor.lag.interval=1s"));
        try (MonitorService m = MonitorService.start(config, broker.bootstrapServers(), meters, e -> decayed.add(e.id()))) {
            await(() -> m.checkpointsSeen() == 2, "the history was read from the start");
            send(Topics.CHECKPOINTS, "b000001-f200", checkpoint("b000001-f200", Manifest.Kind.DECAYED, 220,
                    Map.of("a", 1000L, "b", 1100L), Map.of("a", 3.1, "b", 1.8)), null);
            send(Topics.TELEMETRY, "main", new TelemetryEvent(System.currentTimeMillis(), 200, 20000, Map.of("a", 1000L), 2.5, 1e-3,
                    "stable", 0.7, 5000, 0.3, Map.of(), Map.of("matrix", new TelemetryEvent.GroupStats(20, 0.01, 2.5e-6)), 0, false),
                    null);
            send(Topics.DLQ, "k", "bad".getBytes(StandardCharsets.UTF_8), "invalid_utf8");
            send(Topics.DLQ, "k", "bad".getBytes(StandardCharsets.UTF_8), "made-up-by-someone");
            await(() -> decayed.size() == 1 && meters.find("cpt.trainer.loss").gauge() != null
                    && meters.find("cpt.trainer.loss").gauge().value() == 2.5
                    && meters.find("cpt.monitor.dlq.records").counters().size() == 2, "events applied");

            assertThat(decayed).containsExactly("b000001-f200");
            // main: stream a best 3.0, now 3.4 -> forgetting 0.4; it stopped growing after main-100, so BWT = -(3.4 - 3.0)
            assertThat(meters.get("cpt.forgetting").tags("stream", "a", "branch", "main").gauge().value()).isCloseTo(0.4, within(1e-9));
            assertThat(meters.get("cpt.backward.transfer").tags("branch", "main").gauge().value()).isCloseTo(-0.4, within(1e-9));
            assertThat(meters.get("cpt.eval.loss").tags("stream", "b", "branch", "decayed").gauge().value()).isEqualTo(1.8);
            assertThat(meters.get("cpt.trainer.lr.effective").tags("group", "matrix").gauge().value()).isEqualTo(2.5e-6);
            assertThat(meters.get("cpt.trainer.phase").tags("phase", "stable").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get("cpt.monitor.telemetry.age").gauge().value()).isBetween(0.0, 60.0);
            assertThat(meters.get("cpt.monitor.checkpoint.age").tags("kind", "decayed").gauge().value()).isBetween(0.0, 60.0);
            assertThat(meters.get("cpt.branch.loss.predicted").gauge().value()).isEqualTo(2.0);
            assertThat(meters.get("cpt.branch.loss.actual").gauge().value()).isCloseTo(2.45, within(1e-9));
            assertThat(meters.get("cpt.monitor.dlq.records").tags("reason", "invalid_utf8").counter().count()).isEqualTo(1);
            assertThat(meters.get("cpt.monitor.dlq.records").tags("reason", "other").counter().count())
                    .as("an unknown reason is not a new tag value").isEqualTo(1);
            await(() -> meters.find("cpt.monitor.consumer.lag").gauges().size() == 2, "lag read");

            JsonNode json = Json.MAPPER.readTree(m.forgettingJson());
            assertThat(json.path("streams")).hasSize(2);
            assertThat(json.path("checkpoints")).hasSize(3);
            assertThat(json.path("forgetting").path("main").path("streams").path("a").path("forgetting").asDouble())
                    .isCloseTo(0.4, within(1e-9));
        }
    }
}
