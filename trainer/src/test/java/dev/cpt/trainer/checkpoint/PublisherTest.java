package dev.cpt.trainer.checkpoint;

import dev.cpt.core.store.AliasFile;
import dev.cpt.core.store.AliasTable;
import dev.cpt.core.store.FileEntry;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublisherTest {

    @TempDir
    Path store;

    private static Manifest draft(long seq) {
        long fork = seq * 10;
        return new Manifest(Manifest.FORMAT_VERSION, StoreLayout.branchId(seq, fork), Manifest.Kind.DECAYED, "wsd",
                1_700_000_000_000L + seq, fork + 5, 1000 * seq, Map.of("web", 900 * seq), fork,
                new Manifest.Decay("one-minus-sqrt", 5, 0.0, 1e-3, "upcoming", 250, 1.5),
                Map.of("dModel", 64L, "layers", 2L), "byte-v1", 259, Map.of("web", 2.5), Map.of("web", 2.7), 2.45,
                "fitted on 4 points", List.of());
    }

    private static void weights(Path dir) throws IOException {
        Files.write(dir.resolve(StoreLayout.MODEL), new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        Files.createDirectories(dir.resolve("optim"));
        Files.writeString(dir.resolve("optim/state.json"), "{\"step\":15}");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private List<String> namesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Publisher.Published publish(Publisher p, long seq) throws IOException {
        return p.publishBranch(draft(seq), PublisherTest::weights);
    }

    @Test
    void shouldPublishTheWritersFilesWithASealedManifestAndPointLatestDecayedAtIt() throws Exception {
        Publisher p = new Publisher(store, 5);

        Publisher.Published published = publish(p, 1);

        Path dir = store.resolve("branches").resolve("b000001-f10");
        assertThat(published.dir()).isEqualTo(dir);
        assertThat(namesIn(dir)).containsExactly("manifest.json", "model.safetensors", "optim");
        Manifest onDisk = Manifest.read(dir);
        assertThat(onDisk).isEqualTo(published.manifest());
        assertThat(onDisk.withFiles(List.of())).isEqualTo(draft(1));
        assertThat(onDisk.files()).containsExactly(
                new FileEntry("model.safetensors", 8, sha256(dir.resolve("model.safetensors"))),
                new FileEntry("optim/state.json", 11, sha256(dir.resolve("optim/state.json"))));
        assertThat(published.manifestSha256()).isEqualTo(sha256(dir.resolve("manifest.json")));
        assertThat(AliasFile.read(store).get(AliasTable.LATEST_DECAYED)).contains("b000001-f10");
        assertThat(namesIn(store.resolve("branches"))).containsExactly("b000001-f10");
    }

    @Test
    void shouldMoveLatestDecayedToEachNewBranch() throws Exception {
        Publisher p = new Publisher(store, 5);
        publish(p, 1);
        publish(p, 2);

        assertThat(AliasFile.read(store).get(AliasTable.LATEST_DECAYED)).contains("b000002-f20");
        assertThat(p.branchIds()).containsExactly("b000001-f10", "b000002-f20");
    }

    @Test
    void shouldLeaveNoFolderNoLeftoverAndNoAliasWhenTheWriterFails() throws Exception {
        Publisher p = new Publisher(store, 5);

        assertThatThrownBy(() -> p.publishBranch(draft(1), dir -> {
            weights(dir);
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThatThrownBy(() -> p.publishBranch(draft(2), dir -> {
            throw new IllegalStateException("NaN in the weights");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(namesIn(store.resolve("branches"))).isEmpty();
        assertThat(p.branchIds()).isEmpty();
        assertThat(AliasFile.read(store).get(AliasTable.LATEST_DECAYED)).isEmpty();
    }

    @Test
    void shouldNeitherListNorCountAWriteLeftByACrashAndRemoveItAtTheNextStart() throws Exception {
        publish(new Publisher(store, 5), 1);
        Path crashed = store.resolve("branches").resolve(".tmp-b000009-f90-0b4f0c1e");
        Files.createDirectories(crashed);
        Files.writeString(crashed.resolve(StoreLayout.MODEL), "half a model");

        Publisher before = new Publisher(store, 5);
        assertThat(crashed).doesNotExist();
        assertThat(before.branchIds()).containsExactly("b000001-f10");
        assertThat(before.nextSeq()).isEqualTo(2);
    }

    @Test
    void shouldNotListACrashedWriteEvenBeforeItIsRemoved() throws Exception {
        Publisher p = new Publisher(store, 5);
        publish(p, 1);
        Files.createDirectories(store.resolve("branches").resolve(".tmp-b000009-f90-0b4f0c1e"));

        assertThat(p.branchIds()).containsExactly("b000001-f10");
        assertThat(p.nextSeq()).isEqualTo(2);
    }

    @Test
    void shouldKeepTheNewestBranchesPlusEveryPinnedAndAliasedOne() throws Exception {
        Publisher p = new Publisher(store, 2);
        for (long seq = 1; seq <= 6; seq++) {
            publish(p, seq);
            if (seq == 1) {
                AliasFile.update(store, t -> t.pin("b000001-f10", true));
            }
            if (seq == 3) {
                AliasFile.update(store, t -> t.with("best", "b000003-f30"));
            }
        }

        assertThat(p.branchIds()).containsExactly("b000001-f10", "b000003-f30", "b000005-f50", "b000006-f60");
        assertThat(namesIn(store.resolve("branches"))).as("no .tmp- leftover from deleting")
                .containsExactly("b000001-f10", "b000003-f30", "b000005-f50", "b000006-f60");
        assertThat(p.retain()).isEmpty();

        AliasFile.update(store, t -> t.pin("b000001-f10", false));
        assertThat(p.retain()).containsExactly("b000001-f10");
        assertThat(p.branchIds()).containsExactly("b000003-f30", "b000005-f50", "b000006-f60");
    }

    @Test
    void shouldNeverDeleteAProtectedBranchWhateverKeepSays() throws Exception {
        Publisher p = new Publisher(store, 1);
        for (long seq = 1; seq <= 4; seq++) {
            publish(p, seq);
            String id = StoreLayout.branchId(seq, seq * 10);
            AliasFile.update(store, t -> even(id) ? t.with("keep-" + id, id) : t.pin(id, true));
        }

        assertThat(p.branchIds()).hasSize(4);
        assertThat(p.retain()).isEmpty();
    }

    private static boolean even(String id) {
        return StoreLayout.branchSeq(id) % 2 == 0;
    }

    @Test
    void shouldContinueTheSequenceAfterTheHighestBranchInTheStore() throws Exception {
        assertThat(new Publisher(store, 5).nextSeq()).isEqualTo(1);

        Files.createDirectories(store.resolve("branches").resolve("b000003-f30"));
        Files.createDirectories(store.resolve("branches").resolve("b000012-f99"));
        Files.createDirectories(store.resolve("branches").resolve("b000007-f70"));
        Files.createDirectories(store.resolve("branches").resolve("not-a-branch"));
        Publisher p = new Publisher(store, 50);

        assertThat(p.nextSeq()).isEqualTo(13);
        assertThat(p.branchIds()).containsExactly("b000003-f30", "b000007-f70", "b000012-f99");
    }

    @Test
    void shouldRefuseToKeepFewerThanOneBranch() {
        assertThatThrownBy(() -> new Publisher(store, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keep must be >= 1");
    }
}
