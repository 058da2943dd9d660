package dev.cpt.trainer.checkpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The main run's checkpoints under {@code <store>/main/<step>/} (DESIGN.md). A checkpoint is
 * written into {@code <store>/main/.tmp-<step>-<uuid>/}, every file and the folder fsynced, then
 * renamed to its step: a folder with a plain step name is complete by construction, and a
 * {@code .tmp-} folder left by a crash is ignored and removed at the next start.
 */
public final class CheckpointStore {

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
    private static final String TMP = ".tmp-";

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
        return String.format("%012d", step);
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
        List<Path> tmp;
        try (Stream<Path> s = Files.list(main)) {
            tmp = s.filter(p -> p.getFileName().toString().startsWith(TMP)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path p : tmp) {
            log.warn("removing incomplete checkpoint {} (a write was interrupted)", p.getFileName());
            deleteTree(p);
        }
        return tmp.size();
    }

    /** What a checkpoint writes into its temporary folder. */
    @FunctionalInterface
    public interface Writer {
        void write(Path dir) throws IOException;
    }

    /**
     * Writes a checkpoint for {@code step} atomically, then deletes the oldest beyond {@code keep}.
     *
     * @return the complete checkpoint's folder
     */
    public Path write(long step, Writer writer) throws IOException {
        Path tmp = main.resolve(TMP + name(step) + "-" + UUID.randomUUID());
        Files.createDirectories(tmp);
        try {
            writer.write(tmp);
            fsyncTree(tmp);
            Path target = main.resolve(name(step));
            if (Files.exists(target)) { // the same step again (e.g. after a rollback): replace it
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            fsync(main);
            prune();
            return target;
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private void prune() {
        List<Path> all = complete();
        for (int i = 0; i < all.size() - keep; i++) {
            deleteTree(all.get(i));
        }
    }

    private static void fsyncTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                fsync(p);
            }
        }
    }

    static void fsync(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // some file systems refuse to open a directory for fsync; the files themselves are synced
                log.debug("cannot fsync directory {}: {}", p, e.toString());
            }
        } else {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", p, e.toString());
        }
    }

    /** For tests and tools: every folder in the main store, complete or not. */
    List<Path> allFolders() throws IOException {
        try (Stream<Path> s = Files.list(main)) {
            return new ArrayList<>(s.toList());
        }
    }
}
