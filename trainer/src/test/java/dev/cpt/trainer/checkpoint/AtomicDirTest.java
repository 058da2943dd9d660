package dev.cpt.trainer.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicDirTest {

    private static final int FILES = 300;

    @TempDir
    Path parent;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void many(Path dir, String prefix) throws IOException {
        for (int i = 0; i < FILES; i++) {
            Files.writeString(dir.resolve(String.format("%s-%04d", prefix, i)), "x");
        }
    }

    /**
     * Watches {@code dir} while {@code action} runs, and fails if it ever sees a half-removed
     * {@code prefix} folder: the file removed first gone while the file removed last is still
     * there under the same name. A folder that is renamed away before it is emptied can never
     * look like that, whatever the interleaving.
     */
    private static void assertNeverHalfVisible(Path dir, String prefix, Action action) throws Exception {
        Path removedFirst = dir.resolve(String.format("%s-%04d", prefix, FILES - 1));
        Path removedLast = dir.resolve(String.format("%s-%04d", prefix, 0));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> seen = new AtomicReference<>();
        CountDownLatch watching = new CountDownLatch(1);
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                watching.countDown();
                if (!Files.exists(removedFirst) && Files.exists(removedLast)) {
                    seen.set(removedFirst.getFileName() + " was gone while " + removedLast + " was still there");
                    return;
                }
            }
        });
        watcher.start();
        watching.await();
        try {
            action.run();
        } finally {
            done.set(true);
            watcher.join(10_000);
        }
        assertThat(seen.get()).as("a half-deleted folder was visible").isNull();
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    @Test
    void shouldMakeTheFolderVisibleOnlyOnceComplete() throws Exception {
        Path target = AtomicDir.write(parent, "ckpt", dir -> {
            Files.writeString(dir.resolve("a.txt"), "a");
            assertThat(names()).as("nothing under the final name while writing").doesNotContain("ckpt");
            Files.createDirectories(dir.resolve("sub"));
            Files.writeString(dir.resolve("sub/b.txt"), "b");
        });

        assertThat(target).isEqualTo(parent.resolve("ckpt"));
        assertThat(names()).containsExactly("ckpt");
        assertThat(target.resolve("a.txt")).hasContent("a");
        assertThat(target.resolve("sub/b.txt")).hasContent("b");
    }

    @Test
    void shouldLeaveNothingWhenTheWriterFails() throws Exception {
        assertThatThrownBy(() -> AtomicDir.write(parent, "ckpt", dir -> {
            Files.writeString(dir.resolve("a.txt"), "a");
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(names()).isEmpty();
    }

    @Test
    void shouldReplaceAnExistingFolderOfTheSameName() throws Exception {
        AtomicDir.write(parent, "ckpt", dir -> Files.writeString(dir.resolve("old.txt"), "old"));

        Path target = AtomicDir.write(parent, "ckpt", dir -> Files.writeString(dir.resolve("new.txt"), "new"));

        assertThat(names()).containsExactly("ckpt");
        assertThat(target.resolve("old.txt")).doesNotExist();
        assertThat(target.resolve("new.txt")).hasContent("new");
    }

    @Test
    void shouldNeverShowAHalfDeletedFolderWhenReplacingIt() throws Exception {
        Path target = AtomicDir.write(parent, "ckpt", dir -> many(dir, "old"));

        assertNeverHalfVisible(target, "old", () -> AtomicDir.write(parent, "ckpt", dir -> many(dir, "new")));
        assertThat(names()).containsExactly("ckpt");
        assertThat(target.resolve("new-0000")).exists();
    }

    @Test
    void shouldTakeTheNameAwayAtOnceWhenDeletingAndLeaveNothing() throws Exception {
        Path target = AtomicDir.write(parent, "ckpt", dir -> many(dir, "f"));

        assertNeverHalfVisible(target, "f", () -> AtomicDir.delete(target));
        assertThat(target).doesNotExist();
        assertThat(names()).as("no .tmp-deleted- leftover").isEmpty();
    }

    @Test
    void shouldDoNothingWhenDeletingAFolderThatIsNotThere() {
        AtomicDir.delete(parent.resolve("never-written"));

        assertThat(parent).isEmptyDirectory();
    }

    @Test
    void shouldRemoveOnlyTheFoldersOfWritesThatNeverFinished() throws Exception {
        AtomicDir.write(parent, "ckpt", dir -> Files.writeString(dir.resolve("a"), "a"));
        Files.createDirectories(parent.resolve(".tmp-ckpt2-dead/sub"));
        Files.writeString(parent.resolve(".tmp-ckpt2-dead/sub/x"), "half");
        Files.createDirectories(parent.resolve(".tmp-deleted-ckpt0-dead"));

        assertThat(AtomicDir.removeIncomplete(parent)).isEqualTo(2);
        assertThat(names()).containsExactly("ckpt");
        assertThat(AtomicDir.removeIncomplete(parent.resolve("missing"))).isZero();
    }
}
