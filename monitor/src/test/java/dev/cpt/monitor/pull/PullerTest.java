package dev.cpt.monitor.pull;

import dev.cpt.core.auth.BearerTokens;
import dev.cpt.core.store.AliasFile;
import dev.cpt.core.store.Checksums;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import dev.cpt.monitor.http.RegistryServer;
import dev.cpt.monitor.pull.PullException.Kind;
import dev.cpt.monitor.registry.Promotions;
import dev.cpt.monitor.registry.Registry;
import dev.cpt.monitor.registry.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Puller} against a real registry server over a store written by hand. */
class PullerTest {

    static final String TOKEN = "read-token-0123456789";
    static final String B1 = "b000001-f100";
    static final String B2 = "b000002-f200";
    static final String B3 = "b000003-f300";

    @TempDir
    Path tmp;

    Path store;
    Path dir;
    Registry registry;
    RegistryServer server;
    StringWriter said = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        store = tmp.resolve("store");
        dir = tmp.resolve("model");
        Stores.branch(store, B1, 1_000, 110);
        AliasFile.update(store, a -> a.with("latest", B1));
        server = serve(0);
    }

    RegistryServer serve(int port) throws IOException {
        registry = new Registry(store, Duration.ofMillis(20));
        return RegistryServer.start("127.0.0.1", port, registry, new Promotions(store),
                BearerTokens.of(BearerTokens.Scope.READ, TOKEN), Duration.ofSeconds(30), Optional.empty());
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    Puller puller(String token) {
        return puller(server.uri(), token);
    }

    Puller puller(URI uri, String token) {
        return new Puller(uri, Optional.ofNullable(token), dir, new Progress(new PrintWriter(said, true), false, System::nanoTime));
    }

    Path served(String id) {
        return new StoreLayout(store).dirOf(id).orElseThrow();
    }

    String current() throws IOException {
        return Files.readSymbolicLink(dir.resolve(Puller.CURRENT)).toString();
    }

    List<String> entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    void move(String id) throws IOException {
        AliasFile.update(store, a -> a.with("latest", id));
    }

    @Test
    void pullsTheAliasIntoDirAndPointsCurrentAtIt() throws Exception {
        Manifest main = Stores.main(store, 200, 1_500); // nested replay/en.slots
        AliasFile.update(store, a -> a.with("main", main.id()));

        PullResult r = puller(TOKEN).pullOnce("main");

        assertThat(r.changed()).isTrue();
        assertThat(r.id()).isEqualTo(main.id());
        assertThat(r.downloadedFiles()).isEqualTo(4);
        assertThat(current()).isEqualTo(main.id());
        for (String name : List.of("model.safetensors", "optimizer.safetensors", "state.json", "replay/en.slots")) {
            assertThat(dir.resolve("current").resolve(name)).hasSameBinaryContentAs(served(main.id()).resolve(name));
        }
        assertThat(Manifest.read(dir.resolve("current"))).isEqualTo(main);
        assertThat(entries()).containsExactly(".pull.lock", "current", main.id());
        assertThat(r.line()).contains("pulled " + main.id()).contains(dir.resolve(main.id()).toString());
        assertThat(said.toString()).contains("replay/en.slots");
    }

    @Test
    void doesNothingWhenCurrentAlreadyHoldsTheAlias() throws Exception {
        puller(TOKEN).pullOnce("latest");
        long before = Files.getLastModifiedTime(dir.resolve(B1).resolve("model.safetensors")).toMillis();

        PullResult again = puller(TOKEN).pullOnce("latest");

        assertThat(again.changed()).isFalse();
        assertThat(again.downloadedFiles()).isZero();
        assertThat(again.line()).contains("already current");
        assertThat(Files.getLastModifiedTime(dir.resolve(B1).resolve("model.safetensors")).toMillis()).isEqualTo(before);
    }

    @Test
    void switchesCurrentWhenTheAliasMovedKeepsThePreviousAndDeletesOlder() throws Exception {
        Puller p = puller(TOKEN);
        p.pullOnce("latest");
        Stores.branch(store, B2, 2_000, 210);
        move(B2);

        PullResult second = p.pullOnce("latest");

        assertThat(current()).isEqualTo(B2);
        assertThat(second.previous()).contains(B1);
        assertThat(Files.readSymbolicLink(dir.resolve(Puller.PREVIOUS)).toString()).isEqualTo(B1);
        assertThat(dir.resolve("previous/model.safetensors")).hasSameBinaryContentAs(served(B1).resolve("model.safetensors"));

        Stores.branch(store, B3, 3_000, 310);
        move(B3);
        p.pullOnce("latest");

        assertThat(current()).isEqualTo(B3);
        assertThat(Files.readSymbolicLink(dir.resolve(Puller.PREVIOUS)).toString()).isEqualTo(B2);
        assertThat(entries()).containsExactly(".pull.lock", B2, B3, "current", "previous");
    }

    @Test
    void rollsBackToTheKeptPreviousWithoutDownloadingIt() throws Exception {
        Puller p = puller(TOKEN);
        p.pullOnce("latest");
        Stores.branch(store, B2, 2_000, 210);
        move(B2);
        p.pullOnce("latest");
        move(B1);

        PullResult back = p.pullOnce("latest");

        assertThat(back.downloadedFiles()).isZero();
        assertThat(current()).isEqualTo(B1);
        assertThat(Files.readSymbolicLink(dir.resolve(Puller.PREVIOUS)).toString()).isEqualTo(B2);
        assertThat(entries()).containsExactly(".pull.lock", B1, B2, "current", "previous");
    }

    @Test
    void rejectsATamperedFileAndLeavesCurrentUntouched() throws Exception {
        Puller p = puller(TOKEN);
        p.pullOnce("latest");
        Manifest m2 = Stores.branch(store, B2, 2_000, 210);
        byte[] model = Files.readAllBytes(served(B2).resolve("model.safetensors"));
        model[100] ^= 1; // same size, other bytes: the manifest's sha256 no longer matches
        Files.write(served(B2).resolve("model.safetensors"), model);
        move(B2);

        assertThatThrownBy(() -> p.pullOnce("latest"))
                .isInstanceOfSatisfying(PullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CHECKSUM))
                .hasMessageContaining("model.safetensors")
                .hasMessageContaining(m2.files().get(0).sha256())
                .hasMessageContaining(Checksums.sha256(model));

        assertThat(current()).isEqualTo(B1);
        assertThat(p.currentId()).contains(B1);
        assertThat(entries()).containsExactly(".pull.lock", B1, "current");
    }

    @Test
    void rejectsAFileOfTheWrongSize() throws Exception {
        Stores.branch(store, B2, 2_000, 210);
        Files.write(served(B2).resolve("model.safetensors"), new byte[10]);
        move(B2);

        assertThatThrownBy(() -> puller(TOKEN).pullOnce("latest"))
                .isInstanceOfSatisfying(PullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CHECKSUM))
                .hasMessageContaining("model.safetensors").hasMessageContaining("4096 bytes");
        assertThat(entries()).containsExactly(".pull.lock");
    }

    @Test
    void namesTheTokenWhenTheServerRefusesIt() {
        for (String token : new String[] {null, "wrong-token-0123456789"}) {
            assertThatThrownBy(() -> puller(token).pullOnce("latest"))
                    .isInstanceOfSatisfying(PullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.AUTH))
                    .hasMessageContaining("401")
                    .hasMessageContaining(token == null ? "Authorization: Bearer" : "unknown token")
                    .hasMessageContaining("--token-file").hasMessageContaining("CPT_PULL_TOKEN");
        }
    }

    @Test
    void namesTheUrlOfAnUnreachableServer() throws Exception {
        URI closed = URI.create("http://127.0.0.1:" + freePort());

        assertThatThrownBy(() -> puller(closed, TOKEN).pullOnce("latest"))
                .isInstanceOfSatisfying(PullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
                .hasMessageContaining(closed.toString())
                .hasMessageContaining("connection refused");
    }

    @Test
    void reportsAMissingAlias() {
        assertThatThrownBy(() -> puller(TOKEN).pullOnce("nope"))
                .isInstanceOfSatisfying(PullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessageContaining("no alias nope");
    }

    @Test
    void removesWhatACrashedPullLeftBehind() throws Exception {
        Files.createDirectories(dir.resolve(".tmp-" + B1 + "-dead/replay"));
        Files.writeString(dir.resolve(".tmp-" + B1 + "-dead/model.safetensors"), "half");

        puller(TOKEN).pullOnce("latest");

        assertThat(entries()).containsExactly(".pull.lock", B1, "current");
    }

    @Test
    void watchPullsEachTimeTheAliasMoves() throws Exception {
        Puller p = puller(TOKEN);
        AtomicBoolean stop = new AtomicBoolean();
        List<String> pulled = new CopyOnWriteArrayList<>();
        Thread t = watch(p, "latest", stop, pulled);
        try {
            awaitCurrent(B1);
            Stores.branch(store, B2, 2_000, 210);
            move(B2);
            awaitCurrent(B2);
            assertThat(Files.readSymbolicLink(dir.resolve(Puller.PREVIOUS)).toString()).isEqualTo(B1);
        } finally {
            stop.set(true);
            t.join(5_000);
        }
        assertThat(t.isAlive()).isFalse();
        assertThat(pulled).containsExactly(B1, B2); // told after current switched: read once the watch ended
    }

    @Test
    void watchSkipsATamperedCheckpointUntilTheAliasMovesAgain() throws Exception {
        Puller p = puller(TOKEN);
        p.pullOnce("latest");
        Stores.branch(store, B2, 2_000, 210);
        Files.write(served(B2).resolve("model.safetensors"), Stores.bytes("other", 4096));
        move(B2);
        AtomicBoolean stop = new AtomicBoolean();
        List<String> pulled = new CopyOnWriteArrayList<>();
        Thread t = watch(p, "latest", stop, pulled);
        try {
            awaitSaid("checksum mismatch");
            assertThat(current()).isEqualTo(B1);
            Stores.branch(store, B3, 3_000, 310);
            move(B3);
            awaitCurrent(B3);
        } finally {
            stop.set(true);
            t.join(5_000);
        }
        assertThat(pulled).containsExactly(B3);
        assertThat(said.toString()).containsOnlyOnce("checksum mismatch"); // B2 was not fetched again
    }

    @Test
    void watchRetriesWhileTheServerIsDownOrTheAliasMissing() throws Exception {
        int port = server.port();
        server.close();
        registry.close();
        AliasFile.update(store, a -> dev.cpt.core.store.AliasTable.EMPTY);
        Puller p = puller(URI.create("http://127.0.0.1:" + port), TOKEN);
        p.firstBackoff(Duration.ofMillis(50));
        AtomicBoolean stop = new AtomicBoolean();
        List<String> pulled = new CopyOnWriteArrayList<>();
        Thread t = watch(p, "latest", stop, pulled);
        try {
            awaitSaid("cannot reach the registry at http://127.0.0.1:" + port);
            server = serve(port);
            awaitSaid("no alias latest");
            move(B1);
            awaitCurrent(B1);
            assertThat(t.isAlive()).isTrue();
        } finally {
            stop.set(true);
            t.join(5_000);
        }
    }

    @Test
    void watchEndsOnARefusedToken() throws Exception {
        Puller p = puller("wrong-token-0123456789");
        AtomicReference<Throwable> failed = new AtomicReference<>();
        p.firstBackoff(Duration.ofMillis(50));
        Thread t = new Thread(() -> {
            try {
                p.watch("latest", Duration.ofSeconds(1), () -> false);
            } catch (Exception e) {
                failed.set(e);
            }
        });
        t.start();
        t.join(10_000);
        assertThat(failed.get()).isInstanceOfSatisfying(PullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.AUTH));
    }

    @Test
    void oneWatcherPerFolder() throws Exception {
        Puller p = puller(TOKEN);
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = watch(p, "latest", stop, new CopyOnWriteArrayList<>());
        try {
            awaitCurrent(B1);
            assertThatThrownBy(() -> puller(TOKEN).pullOnce("latest"))
                    .isInstanceOfSatisfying(PullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.LOCAL))
                    .hasMessageContaining("another cpt pull");
        } finally {
            stop.set(true);
            t.join(5_000);
        }
    }

    Thread watch(Puller p, String alias, AtomicBoolean stop, List<String> pulled) {
        BooleanSupplier s = stop::get;
        Thread t = new Thread(() -> {
            try {
                p.watch(alias, Duration.ofSeconds(2), s, r -> pulled.add(r.id()));
            } catch (Exception e) {
                said.write("watch ended: " + e + "\n");
            }
        }, "pull-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    void awaitCurrent(String id) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.isSymbolicLink(dir.resolve("current")) && current().equals(id)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("current never became " + id + "; said:\n" + said);
    }

    void awaitSaid(String text) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (said.toString().contains(text)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never said '" + text + "'; said:\n" + said);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
