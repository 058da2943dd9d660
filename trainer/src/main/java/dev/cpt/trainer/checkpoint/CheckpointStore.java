package dev.cpt.trainer.checkpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import dev.cpt.core.store.AliasFile;
import dev.cpt.core.store.StoreLayout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The main run's checkpoints under {@code <store>/main/<step>/} (DESIGN.md). A checkpoint is
 * written into {@code <store>/main/.tmp-<step>-<uuid>/}, every file and the folder fsynced, then
 * renamed to its step: a folder with a plain step name is complete by construction, and a
 * {@code .tmp-} folder left by a crash is ignored and removed at the next start. Checkpoints that
 * {@code aliases.json} names or pins are never deleted.
 */
public final class CheckpointStore {

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);

    private final Path main;
    private final int keep;

    /** @param keep complete checkpoints kept, at least 2 */
    public CheckpointStore(Path store, int keep) {
        if (keep < 2) {
            throw new IllegalArgumentException("keep must be >= 2 so that a crash while writing leaves one complete checkpoint: " + keep);
        }
        this.main = store.resolve("main");
        this.keep = keep;
        try {
            Files.createDirectories(main);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint store " + main, e);
        }
    }

    public Path mainDir() {
        return main;
    }

    static String name(long step) {
        return StoreLayout.stepName(step);
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> complete() {
        try (Stream<Path> s = Files.list(main)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().matches("\\d{12}"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Path> latest() {
        List<Path> all = complete();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public static long step(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString());
    }

    /** Removes folders of writes that never completed (a crash mid-checkpoint); returns how many. */
    public int removeIncomplete() {
        return AtomicDir.removeIncomplete(main);
    }

    /**
     * Writes a checkpoint for {@code step} atomically ({@link AtomicDir}), then deletes the oldest
     * beyond {@code keep}, except those aliased or pinned in the store's {@code aliases.json}.
     *
     * @return the complete checkpoint's folder
     */
    public Path write(long step, AtomicDir.Writer writer) throws IOException {
        Path target = AtomicDir.write(main, name(step), writer);
        prune();
        return target;
    }

    private void prune() {
        try {
            // under the alias lock: nobody can pin a checkpoint between our check and the delete
            AliasFile.update(main.getParent(), table -> {
                Set<String> keepAnyway = table.protectedIds();
                List<Path> all = complete();
                for (int i = 0; i < all.size() - keep; i++) {
                    if (!keepAnyway.contains(StoreLayout.mainId(step(all.get(i))))) {
                        AtomicDir.delete(all.get(i));
                    }
                }
                return table;
            });
        } catch (IOException e) {
            log.warn("cannot read the aliases, so no main checkpoint is deleted this time: {}", e.toString());
        }
    }

    /** For tests and tools: every folder in the main store, complete or not. */
    List<Path> allFolders() throws IOException {
        try (Stream<Path> s = Files.list(main)) {
            return new ArrayList<>(s.toList());
        }
    }
}
