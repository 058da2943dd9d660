package dev.cpt.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory for one command's throw-away state (a bench's broker and stores, an
 * experiment's checkpoints), deleted with everything under it on {@link #close()}.
 */
public final class ScratchDir implements AutoCloseable {

    private final Path path;

    private ScratchDir(Path path) {
        this.path = path;
    }

    /**
     * @param prefix of the directory's name, e.g. {@code cpt-bench-}
     * @param forWhat named in the error when it cannot be created, e.g. {@code the bench}
     */
    public static ScratchDir create(String prefix, String forWhat) {
        try {
            return new ScratchDir(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for " + forWhat, e);
        }
    }

    public Path path() {
        return path;
    }

    /** Deletes the directory and its contents; best effort: a left-over temporary directory is harmless. */
    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
