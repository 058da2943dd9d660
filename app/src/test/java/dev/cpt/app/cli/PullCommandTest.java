package dev.cpt.app.cli;

import dev.cpt.app.Main;
import dev.cpt.core.auth.BearerTokens;
import dev.cpt.core.store.AliasFile;
import dev.cpt.core.store.Checksums;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import dev.cpt.monitor.http.RegistryServer;
import dev.cpt.monitor.registry.Promotions;
import dev.cpt.monitor.registry.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The real {@code cpt pull} command line against a real registry server. */
class PullCommandTest {

    static final String TOKEN = "read-token-0123456789";
    static final String B1 = "b000001-f100";
    static final String B2 = "b000002-f200";

    @TempDir
    Path tmp;

    Path store;
    Path dir;
    Path tokenFile;
    Registry registry;
    RegistryServer server;

    @BeforeEach
    void start() throws Exception {
        store = tmp.resolve("store");
        dir = tmp.resolve("model");
        tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        branch(B1, 1_000, 110);
        AliasFile.update(store, a -> a.with("latest", B1));
        registry = new Registry(store, Duration.ofMillis(20));
        server = RegistryServer.start("127.0.0.1", 0, registry, new Promotions(store),
                BearerTokens.of(BearerTokens.Scope.READ, TOKEN), Duration.ofSeconds(30), Optional.empty());
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    /** A decayed branch with a 4096-byte model.safetensors, laid out as the trainer writes it. */
    Manifest branch(String id, long createdMs, long step) throws IOException {
        Path d = served(id);
        Files.createDirectories(d);
        byte[] model = new byte[4096];
        new Random(id.hashCode()).nextBytes(model);
        Files.write(d.resolve(StoreLayout.MODEL), model);
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, id, Manifest.Kind.DECAYED, "wsd", createdMs, step, step * 4096,
                Map.of("en", 1000L), step, new Manifest.Decay("one-minus-sqrt", 10, 0, 1e-3, "upcoming", 40960, 1.5),
                Map.of("vocabSize", 259L), "byte-v1", 259, Map.of("en", 1.5), null, null, "none yet",
                Checksums.entries(d, StoreLayout.MANIFEST));
        m.write(d);
        return m;
    }

    Path served(String id) {
        return new StoreLayout(store).dirOf(id).orElseThrow();
    }

    String url() {
        return server.uri().toString();
    }

    String current() throws IOException {
        return Files.readSymbolicLink(dir.resolve("current")).toString();
    }

    List<String> entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void pullsLatestAndPrintsTheIdAndItsFolder() throws Exception {
        CliRun r = CliRun.run("pull", "--url", url(), "--to", dir.toString(), "--token-file", tokenFile.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("pulled " + B1).contains(dir.resolve(B1).toString());
        assertThat(current()).isEqualTo(B1);
        assertThat(dir.resolve("current/model.safetensors")).hasSameBinaryContentAs(served(B1).resolve("model.safetensors"));
        assertThat(Manifest.read(dir.resolve("current")).id()).isEqualTo(B1);
        assertThat(r.err()).contains("model.safetensors 4.1 kB"); // no terminal here: one line per file

        CliRun again = CliRun.run("pull", "--url", url(), "--alias", "latest", "--to", dir.toString(),
                "--token-file", tokenFile.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains(B1 + " (alias latest) is already current");
    }

    @Test
    void rejectsATamperedFileAndLeavesCurrentUntouched() throws Exception {
        assertThat(CliRun.run("pull", "--url", url(), "--to", dir.toString(), "--token-file", tokenFile.toString())
                .exitCode()).isZero();
        Manifest m2 = branch(B2, 2_000, 210);
        Path model = served(B2).resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        bytes[0] ^= 0x55;
        Files.write(model, bytes); // after the manifest was written: the server's sha256 no longer matches
        AliasFile.update(store, a -> a.with("latest", B2));

        CliRun r = CliRun.run("pull", "--url", url(), "--to", dir.toString(), "--token-file", tokenFile.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("checksum mismatch").contains("model.safetensors")
                .contains(m2.files().get(0).sha256()).contains(Checksums.sha256(bytes));
        assertThat(r.out()).isEmpty();
        assertThat(current()).isEqualTo(B1);
        assertThat(entries()).containsExactly(".pull.lock", B1, "current").noneMatch(n -> n.startsWith(".tmp-"));
    }

    @Test
    void exitsWith4WhenTheTokenIsRefused() throws Exception {
        Path wrong = tmp.resolve("wrong");
        Files.writeString(wrong, "wrong-token-0123456789");

        CliRun r = CliRun.run("pull", "--url", url(), "--to", dir.toString(), "--token-file", wrong.toString());

        assertThat(r.exitCode()).isEqualTo(PullCommand.EXIT_AUTH);
        assertThat(r.err()).startsWith("cpt pull: ").contains("HTTP 401").contains("unknown token")
                .contains("check the token: --token-file or CPT_PULL_TOKEN");
        assertThat(Files.exists(dir.resolve("current"))).isFalse();
    }

    @Test
    void exitsWith5NamingTheUrlOfAnUnreachableServer() throws Exception {
        String closed = "http://127.0.0.1:" + freePort();

        CliRun r = CliRun.run("pull", "--url", closed, "--to", dir.toString(), "--token-file", tokenFile.toString());

        assertThat(r.exitCode()).isEqualTo(PullCommand.EXIT_UNREACHABLE);
        assertThat(r.err()).contains("cannot reach the registry at " + closed).contains("connection refused");
    }

    @Test
    void exitsWith1ForAMissingAlias() {
        CliRun r = CliRun.run("pull", "--url", url(), "--alias", "nope", "--to", dir.toString(), "--token-file", tokenFile.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no alias nope");
    }

    @Test
    void refusesBadOptionsWithExit2() throws Exception {
        Path empty = tmp.resolve("empty");
        Files.writeString(empty, "\n");

        assertThat(CliRun.run("pull", "--url", url()).exitCode()).isEqualTo(2); // --to is required
        CliRun badAlias = CliRun.run("pull", "--url", url(), "--alias", "../x", "--to", dir.toString());
        assertThat(badAlias.exitCode()).isEqualTo(2);
        assertThat(badAlias.err()).contains("--alias must match");
        CliRun emptyToken = CliRun.run("pull", "--url", url(), "--to", dir.toString(), "--token-file", empty.toString());
        assertThat(emptyToken.exitCode()).isEqualTo(2);
        assertThat(emptyToken.err()).contains("it is empty");
        CliRun badUrl = CliRun.run("pull", "--url", "ftp://x", "--to", dir.toString());
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).contains("http:// or https://");
    }

    @Test
    void watchSwitchesCurrentWhenTheAliasMoves() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        AtomicBoolean stop = new AtomicBoolean();
        ((PullCommand) cl.getSubcommands().get("pull").getCommand()).stop = stop::get;
        AtomicInteger rc = new AtomicInteger(-1);
        Thread t = new Thread(() -> rc.set(cl.execute("pull", "--url", url(), "--to", dir.toString(), "--watch", "--wait", "1s",
                "--token-file", tokenFile.toString())), "cpt-pull-watch");
        t.setDaemon(true);
        t.start();
        try {
            awaitCurrent(B1, err);
            branch(B2, 2_000, 210);
            AliasFile.update(store, a -> a.with("latest", B2));
            awaitCurrent(B2, err);
        } finally {
            stop.set(true);
            t.join(10_000);
        }
        assertThat(rc.get()).as(err.toString()).isZero();
        assertThat(out.toString()).contains("pulled " + B1).contains("pulled " + B2);
        assertThat(Files.readSymbolicLink(dir.resolve("previous")).toString()).isEqualTo(B1);
    }

    @Test
    void helpListsTheOptions() {
        CliRun r = CliRun.run("pull", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--url", "--alias", "--to", "--watch", "--wait", "--token-file", "CPT_PULL_TOKEN",
                "http://127.0.0.1:9400", "Exit codes:", "4", "5");
        assertThat(CliRun.run("--help").out()).contains("pull");
    }

    void awaitCurrent(String id, StringWriter err) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.isSymbolicLink(dir.resolve("current")) && current().equals(id)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("current never became " + id + "; stderr:\n" + err);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
