package dev.cpt.app.standalone;

import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.kafka.KafkaSetupException;
import dev.cpt.core.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class StandaloneTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private Config config(String... sets) {
        List<String> all = new ArrayList<>(List.of("cpt.data.dir=" + dataDir, "cpt.http.port=0"));
        all.addAll(List.of(sets));
        return ConfigLoader.load(Optional.empty(), Map.of(), all);
    }

    public static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeHealthAndPrometheusMetricsAndReuseDataDirOnRestart() throws Exception {
        try (Standalone s = Standalone.start(config())) {
            assertThat(s.url()).startsWith("http://127.0.0.1:");
            assertThat(s.createdTopics()).containsExactlyInAnyOrderElementsOf(Topics.DEFAULT.all());

            HttpResponse<String> health = get(s.url() + "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"up\"", "\"nodes\":1");

            HttpResponse<String> metrics = get(s.url() + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
            assertThat(metrics.body()).contains("jvm_memory_used_bytes", "process_uptime_seconds", "kafka_admin_client_request_rate");
            assertThat(metrics.body()).as("Kafka client meters are trimmed").doesNotContain("kafka_admin_client_request_size_max");

            assertThat(get(s.url() + "/nope").statusCode()).isEqualTo(404);
        }
        assertThat(dataDir.resolve("kafka").resolve("logs").resolve("meta.properties")).exists();

        try (Standalone again = Standalone.start(config())) {
            assertThat(again.createdTopics()).as("topics survive a restart on the same data dir").isEmpty();
            assertThat(get(again.url() + "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldUseConfiguredClusterWithoutStartingABroker() throws Exception {
        try (EmbeddedBroker external = EmbeddedBroker.startTemporary();
             Standalone s = Standalone.start(config("cpt.kafka.bootstrap.servers=" + external.bootstrapServers(),
                     "cpt.kafka.topic.prefix=team.a", "cpt.kafka.topic.partitions=3"))) {
            assertThat(s.bootstrapServers()).isEqualTo(external.bootstrapServers());
            assertThat(dataDir.resolve("kafka")).doesNotExist();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, external.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).containsAll(Topics.withPrefix("team.a").all());
                assertThat(admin.describeTopics(List.of("team.a.docs")).allTopicNames().get().get("team.a.docs").partitions())
                        .hasSize(3);
            }
        }
    }

    @Test
    void shouldNameTopicAndReasonWhenClusterRefusesATopic() {
        try (EmbeddedBroker external = EmbeddedBroker.startTemporary()) {
            assertThatThrownBy(() -> Standalone.start(config("cpt.kafka.bootstrap.servers=" + external.bootstrapServers(),
                    "cpt.kafka.topic.replication=3")))
                    .isInstanceOf(KafkaSetupException.class)
                    .hasMessageContaining("refused to create topic cpt.")
                    .hasMessageContaining("replication 3")
                    .hasMessageContaining(external.bootstrapServers());
        }
    }

    @Test
    void shouldSayClusterIsUnreachableWithinTheTimeout() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> Standalone.start(config("cpt.kafka.bootstrap.servers=127.0.0.1:" + closedPort,
                "cpt.kafka.admin.timeout=2s")))
                .isInstanceOf(KafkaSetupException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("did not answer within 2 s");
    }
}
