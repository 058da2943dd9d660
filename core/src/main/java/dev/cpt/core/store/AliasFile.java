package dev.cpt.core.store;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cpt.core.format.Json;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Reads and changes {@code <store>/aliases.json}. The trainer moves {@code latest-decayed} and
 * {@code main}, the monitor moves {@code latest} and pins: they may be different processes, so a
 * change holds an exclusive lock on {@code <store>/aliases.lock} across read-modify-write, and the
 * new file replaces the old by an atomic rename (a reader never sees half a file). Within one JVM
 * changes are serialised too, because a file lock belongs to the process, not to a thread.
 */
public final class AliasFile {

    private static final String LOCK = "aliases.lock";

    private AliasFile() {
    }

    /** The current table; {@link AliasTable#EMPTY} when the store has none yet. */
    public static AliasTable read(Path store) throws IOException {
        Path f = store.resolve(StoreLayout.ALIASES);
        if (!Files.exists(f)) {
            return AliasTable.EMPTY;
        }
        return Json.MAPPER.readValue(f.toFile(), AliasTable.class);
    }

    /** Applies {@code change} under the store's lock and returns the new table. */
    public static synchronized AliasTable update(Path store, UnaryOperator<AliasTable> change) throws IOException {
        Files.createDirectories(store);
        try (FileChannel lockFile = FileChannel.open(store.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            AliasTable next = change.apply(read(store));
            Path tmp = store.resolve(StoreLayout.TMP + "aliases-" + UUID.randomUUID() + ".json");
            try {
                Files.write(tmp, Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(next));
                try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    c.force(true);
                }
                Files.move(tmp, store.resolve(StoreLayout.ALIASES), StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return next;
        }
    }
}
