package dev.cpt.monitor.registry;

import dev.cpt.core.store.AliasFile;
import dev.cpt.core.store.AliasTable;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryTest {

    @TempDir
    Path store;

    Registry registry;

    @BeforeEach
    void open() {
        registry = new Registry(store, Duration.ofMillis(50));
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void listsCompleteCheckpointsNewestFirstAndFiltersByKind() throws Exception {
        Stores.branch(store, "b000001-f100", 1_000, 110);
        Stores.branch(store, "b000002-f200", 3_000, 210);
        Stores.main(store, 200, 2_000);
        Stores.main(store, 300, 3_000); // same createdMs as b000002: the higher step first
        // not complete, or not checkpoints at all: never listed
        Stores.branch(store, "b000009-f900", 9_000, 910);
        Files.move(store.resolve("branches/b000009-f900"), store.resolve("branches/.tmp-b000009-f900"));
        Files.createDirectories(store.resolve("branches/b000010-f1000"));
        Stores.write(store.resolve("branches/b000011-f1100/manifest.json"), "{not json");
        Stores.write(store.resolve("main/12/manifest.json"), "{}");
        Stores.branch(store, "b000012-f1200", 9_500, 1210);
        Files.move(store.resolve("branches/b000012-f1200"), store.resolve("branches/b000013-f1300")); // manifest names another id

        assertThat(registry.list(Optional.empty())).extracting(Manifest::id)
                .containsExactly("main-000000000300", "b000002-f200", "main-000000000200", "b000001-f100");
        assertThat(registry.list(Optional.of(Manifest.Kind.DECAYED))).extracting(Manifest::id)
                .containsExactly("b000002-f200", "b000001-f100");
        assertThat(registry.list(Optional.of(Manifest.Kind.MAIN))).extracting(Manifest::id)
                .containsExactly("main-000000000300", "main-000000000200");
        assertThat(registry.manifest("b000010-f1000")).isEmpty();
        assertThat(registry.manifest(".tmp-b000009-f900")).isEmpty();
        assertThat(registry.manifest("b000013-f1300")).isEmpty();
        assertThat(registry.manifest("b000001-f100")).get().extracting(Manifest::step).isEqualTo(110L);
    }

    @Test
    void servesOnlyFilesTheManifestListsFromInsideTheCheckpoint() throws Exception {
        Stores.main(store, 200, 2_000);
        String id = "main-000000000200";
        Path dir = store.resolve("main/000000000200");
        assertThat(registry.file(id, "model.safetensors")).contains(dir.resolve("model.safetensors").toRealPath());
        assertThat(registry.file(id, "replay/en.slots")).contains(dir.resolve("replay/en.slots").toRealPath());
        assertThat(registry.open(id, "replay/en.slots")).get().extracting(f -> f.entry().size()).isEqualTo(512L);
        Files.writeString(dir.resolve("extra.bin"), "not listed");
        Files.writeString(store.resolve("secret"), "outside");
        for (String bad : List.of("extra.bin", "manifest.json", "../000000000200/model.safetensors", "/etc/passwd",
                "replay//en.slots", "replay/../state.json", ".hidden", "replay\\en.slots", "", "../../secret")) {
            assertThat(registry.file(id, bad)).as(bad).isEmpty();
        }
        assertThat(registry.file("nope", "model.safetensors")).isEmpty();
        assertThat(registry.file("../main", "model.safetensors")).isEmpty();
    }

    @Test
    void aListedFileThatIsALinkOutOfTheCheckpointIsNotServed() throws Exception {
        Path dir = store.resolve("branches/b000001-f100");
        Files.createDirectories(dir);
        Path outside = Files.writeString(store.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(dir.resolve("model.safetensors"), outside);
        Stores.manifest(dir, "b000001-f100", Manifest.Kind.DECAYED, 1, 1, java.util.Map.of(), java.util.Map.of());
        assertThat(registry.manifest("b000001-f100")).isPresent();
        assertThat(registry.file("b000001-f100", "model.safetensors")).isEmpty();
    }

    @Test
    void setsAliasesOnlyForExistingCheckpointsAndPins() throws Exception {
        Stores.branch(store, "b000001-f100", 1_000, 110);
        AliasTable t = registry.setAlias("latest", "b000001-f100", true);
        assertThat(t.get("latest")).contains("b000001-f100");
        assertThat(t.pinned()).containsExactly("b000001-f100");
        assertThat(registry.aliases()).isEqualTo(t);
        assertThat(registry.setAlias("prod", "b000001-f100").pinned()).containsExactly("b000001-f100");
        assertThat(registry.setAlias("prod", "b000001-f100", false).pinned()).isEmpty();
        assertThatThrownBy(() -> registry.setAlias("latest", "b000002-f200", false)).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("b000002-f200");
        assertThatThrownBy(() -> registry.setAlias("Bad/Alias", "b000001-f100", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(StoreLayout.ID.pattern());
        assertThat(registry.aliases().aliases()).containsOnlyKeys("latest", "prod");
    }

    @Test
    void awaitChangeCompletesWhenTheAliasMovesAndAtOnceWhenItAlreadyDid() throws Exception {
        Stores.branch(store, "b000001-f100", 1_000, 110);
        Stores.branch(store, "b000002-f200", 2_000, 210);
        AliasFile.update(store, t -> t.with("latest", "b000001-f100"));
        CompletableFuture<String> f = registry.awaitChange("latest", "b000001-f100");
        CompletableFuture<String> other = registry.awaitChange("main", null);
        Thread.sleep(150);
        assertThat(f).isNotDone();
        AliasFile.update(store, t -> t.with("latest", "b000002-f200"));
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("b000002-f200");
        assertThat(other).isNotDone();
        assertThat(registry.awaitChange("latest", "b000001-f100")).isCompletedWithValue("b000002-f200");
        registry.close();
        assertThat(other).isCancelled();
    }

    @Test
    void oneWatcherThreadServesManyWaiters() throws Exception {
        Stores.branch(store, "b000001-f100", 1_000, 110);
        Stores.branch(store, "b000002-f200", 2_000, 210);
        AliasFile.update(store, t -> t.with("latest", "b000001-f100"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (watchers() > 0 && System.nanoTime() < deadline) { // other tests' closed registries
            Thread.sleep(10);
        }
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(registry.awaitChange("latest", "b000001-f100"));
        }
        assertThat(watchers()).isEqualTo(1);
        all.get(0).cancel(false); // a waiter that gives up leaves the others waiting
        AliasFile.update(store, t -> t.with("latest", "b000002-f200"));
        CompletableFuture.allOf(all.subList(1, all.size()).toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
        assertThat(all.subList(1, all.size())).allSatisfy(f -> assertThat(f).isCompletedWithValue("b000002-f200"));
    }

    private static long watchers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("cpt-alias-watcher")).count();
    }
}
