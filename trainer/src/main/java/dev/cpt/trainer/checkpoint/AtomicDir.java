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
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A folder that appears complete or not at all: written as {@code <parent>/.tmp-<name>-<uuid>/},
 * every file and folder fsynced, then renamed to {@code <parent>/<name>} and the parent fsynced.
 * A {@code .tmp-} folder is a write that never finished; {@link #removeIncomplete} deletes them.
 */
public final class AtomicDir {

    private static final Logger log = LoggerFactory.getLogger(AtomicDir.class);
    static final String TMP = ".tmp-";

    private AtomicDir() {
    }

    /** What goes into the temporary folder. */
    @FunctionalInterface
    public interface Writer {
        void write(Path dir) throws IOException;
    }

    /**
     * Writes {@code <parent>/<name>} atomically; an existing folder of that name is replaced.
     *
     * @return the complete folder
     */
    public static Path write(Path parent, String name, Writer writer) throws IOException {
        Files.createDirectories(parent);
        Path tmp = parent.resolve(TMP + name + "-" + UUID.randomUUID());
        Files.createDirectories(tmp);
        try {
            writer.write(tmp);
            fsyncTree(tmp);
            Path target = parent.resolve(name);
            if (Files.exists(target)) { // the same name again (e.g. a step re-done after a rollback)
                delete(target); // renamed away first: a reader never sees the old folder half-deleted
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            fsync(parent);
            return target;
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /** Deletes the {@code .tmp-} folders under {@code parent}; returns how many. */
    public static int removeIncomplete(Path parent) {
        if (!Files.isDirectory(parent)) {
            return 0;
        }
        List<Path> tmp;
        try (Stream<Path> s = Files.list(parent)) {
            tmp = s.filter(p -> p.getFileName().toString().startsWith(TMP)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path p : tmp) {
            log.warn("removing incomplete {} (a write was interrupted)", p);
            deleteTree(p);
        }
        return tmp.size();
    }

    /**
     * Deletes a complete folder so that it is never seen half-deleted: first renamed to a
     * {@code .tmp-} name (atomic), then removed.
     */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        Path doomed = dir.resolveSibling(TMP + "deleted-" + dir.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot rename {} before deleting it: {}", dir, e.toString());
            doomed = dir;
        }
        deleteTree(doomed);
    }

    static void fsyncTree(Path dir) throws IOException {
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
}
