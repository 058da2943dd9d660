package dev.cpt.trainer.checkpoint;

import dev.cpt.core.store.AliasFile;
import dev.cpt.core.store.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointStoreTest {

    @TempDir
    Path store;

    @Test
    void shouldKeepOnlyTheNewestCompleteCheckpoints() throws Exception {
        CheckpointStore s = new CheckpointStore(store, 2);
        for (long step : new long[]{100, 200, 300}) {
            s.write(step, dir -> Files.writeString(dir.resolve("state.json"), "{\"step\":" + step + "}"));
        }

        assertThat(s.complete()).extracting(CheckpointStore::step).containsExactly(200L, 300L);
        assertThat(s.latest()).hasValueSatisfying(p -> assertThat(p.resolve("state.json")).hasContent("{\"step\":300}"));
    }

    @Test
    void shouldIgnoreAndRemoveAWriteThatNeverCompleted() throws Exception {
        CheckpointStore s = new CheckpointStore(store, 3);
        s.write(100, dir -> Files.writeString(dir.resolve("state.json"), "ok"));
        Path crashed = s.mainDir().resolve(".tmp-000000000200-dead");
        Files.createDirectories(crashed);
        Files.writeString(crashed.resolve("state.json"), "half");

        assertThat(s.latest()).hasValueSatisfying(p -> assertThat(CheckpointStore.step(p)).isEqualTo(100));
        assertThat(s.removeIncomplete()).isEqualTo(1);
        assertThat(crashed).doesNotExist();
    }

    @Test
    void shouldLeaveNoTraceOfAFailedWrite() throws Exception {
        CheckpointStore s = new CheckpointStore(store, 2);

        assertThatThrownBy(() -> s.write(5, dir -> {
            Files.writeString(dir.resolve("a"), "x");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(s.allFolders()).isEmpty();
    }

    @Test
    void shouldNeverPruneAPinnedOrAliasedMainCheckpoint() throws Exception {
        CheckpointStore s = new CheckpointStore(store, 2);
        s.write(100, dir -> Files.writeString(dir.resolve("state.json"), "100"));
        AliasFile.update(store, t -> t.pin(StoreLayout.mainId(100), true));
        s.write(200, dir -> Files.writeString(dir.resolve("state.json"), "200"));
        AliasFile.update(store, t -> t.with("main", StoreLayout.mainId(200)));
        for (long step : new long[]{300, 400, 500}) {
            s.write(step, dir -> Files.writeString(dir.resolve("state.json"), "" + step));
        }

        assertThat(s.complete()).extracting(CheckpointStore::step).containsExactly(100L, 200L, 400L, 500L);
        assertThat(s.allFolders()).as("no .tmp- leftover from pruning").hasSize(4);

        AliasFile.update(store, t -> t.pin(StoreLayout.mainId(100), false));
        s.write(600, dir -> Files.writeString(dir.resolve("state.json"), "600"));
        assertThat(s.complete()).extracting(CheckpointStore::step).containsExactly(200L, 500L, 600L);
    }

    @Test
    void shouldRefuseToKeepFewerThanTwo() {
        assertThatThrownBy(() -> new CheckpointStore(store, 1)).hasMessageContaining("keep must be >= 2");
    }
}
