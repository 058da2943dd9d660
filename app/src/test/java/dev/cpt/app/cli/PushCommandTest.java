package dev.cpt.app.cli;

import dev.cpt.app.Main;
import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real {@code cpt push} command line against a real broker. */
class PushCommandTest {

    @TempDir
    static Path dataDir;

    private static EmbeddedBroker broker;

    @TempDir
    Path dir;


    @BeforeAll
    static void startBroker() throws Exception {
        // started where `cpt standalone` would keep it, so that push can find it through cpt.data.dir
        broker = EmbeddedBroker.start(dataDir.resolve("kafka"), 0, 0, Map.of());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.DOCS, 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static CliRun run(String... args) {
        return CliRun.run(args);
    }

    private String bootstrap() {
        return "cpt.kafka.bootstrap.servers=" + broker.bootstrapServers();
    }

    @Test
    void shouldPushDirectoryAndJsonlAndPrintTheSummaryLine() throws Exception {
        Path docs = dir.resolve("docs");
        Files.createDirectories(docs);
        Files.writeString(docs.resolve("a.txt"), "alpha");
        Files.writeString(docs.resolve("b.txt"), "beta");
        Path jsonl = dir.resolve("c.jsonl");
        Files.writeString(jsonl, "{\"stream\":\"web\",\"text\":\"one\"}\n{\"stream\":\"web\",\"text\":\"two\"}\n");

        CliRun r = run("push", "--stream", "notes", "--set", bootstrap(), docs.toString(), jsonl.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).matches("pushed 4 documents \\(\\d+ B\\) from 3 files to cpt\\.docs in \\d+\\.\\d s \\([0-9.]+ k?B/s\\); 0 bad lines\\R");
    }

    @Test
    void shouldFindTheRunningStandaloneThroughTheDataDirectory() throws Exception {
        Path f = dir.resolve("x.jsonl");
        Files.writeString(f, "{\"stream\":\"s\",\"text\":\"found it\"}\n");

        CliRun r = run("push", "--set", "cpt.data.dir=" + dataDir, f.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("pushed 1 document (");
    }

    @Test
    void shouldReportBadLineAndGoOnWithExitZero() throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"stream\":\"s\",\"text\":\"1\"}\n{oops\n{\"stream\":\"s\",\"text\":\"3\"}\n");

        CliRun r = run("push", "--set", bootstrap(), f.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains(f + ":2: not JSON (");
        assertThat(r.out()).startsWith("pushed 2 documents (").endsWith("; 1 bad line" + System.lineSeparator());
    }

    @Test
    void shouldStopAtBadLineWithExitOneAndStillPrintTheSummary() throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"stream\":\"s\",\"text\":\"1\"}\n[]\n{\"stream\":\"s\",\"text\":\"3\"}\n");

        CliRun r = run("push", "--on-bad-line", "stop", "--set", bootstrap(), f.toString());

        assertThat(r.exitCode()).isEqualTo(PushCommand.EXIT_INPUT);
        assertThat(r.err()).contains(f + ":2: not JSON (expected an object, found an array)");
        assertThat(r.out()).startsWith("pushed 1 document (").contains("; 1 bad line; stopped at " + f + ":2");
    }

    @Test
    void shouldPushStdinTextWithStream() {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream("piped text".getBytes(StandardCharsets.UTF_8)));
        try {
            CliRun r = run("push", "--stream", "pipe", "--set", bootstrap());

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("pushed 1 document (10 B) from stdin to cpt.docs in ");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void shouldRefuseTextWithoutStreamBeforeContactingKafka() throws Exception {
        Path f = dir.resolve("plain.txt");
        Files.writeString(f, "text");

        CliRun r = run("push", "--set", "cpt.kafka.bootstrap.servers=127.0.0.1:1", f.toString());

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(r.err()).contains("cpt push: --stream NAME is required for plain-text input: " + f);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void shouldRefuseInvalidStreamNamingTheRule() throws Exception {
        Path f = dir.resolve("plain.txt");
        Files.writeString(f, "text");

        CliRun r = run("push", "--stream", "UPPER", f.toString());

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(r.err()).contains("invalid --stream 'UPPER': a stream id must match [a-z0-9][a-z0-9._-]{0,63}");
    }

    @Test
    void shouldExitWithKafkaErrorNamingUnreachableBootstrapWithinTimeout() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "x");

        long t0 = System.nanoTime();
        CliRun r = run("push", "--stream", "s", "--timeout", "2s", "--set", "cpt.kafka.bootstrap.servers=127.0.0.1:" + closedPort, f.toString());

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_KAFKA);
        assertThat(r.err()).contains("cpt: Kafka error: Kafka cluster 127.0.0.1:" + closedPort + " did not answer within 2 s");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void shouldSayHowToGetAClusterWhenNoneIsConfiguredOrRunning() throws Exception {
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "x");

        CliRun r = run("push", "--stream", "s", "--set", "cpt.data.dir=" + dir.resolve("empty"), f.toString());

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_KAFKA);
        assertThat(r.err()).contains("no Kafka cluster to push to", "start `cpt standalone` or set cpt.kafka.bootstrap.servers");
    }

    @Test
    void shouldNameTheMissingTopic() throws Exception {
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "x");

        CliRun r = run("push", "--stream", "s", "--set", bootstrap(), "--set", "cpt.kafka.topic.prefix=nothere", f.toString());

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_KAFKA);
        assertThat(r.err()).contains("topic nothere.docs does not exist on Kafka cluster " + broker.bootstrapServers());
    }
}
