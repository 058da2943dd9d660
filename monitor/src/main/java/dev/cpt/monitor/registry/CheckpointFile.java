package dev.cpt.monitor.registry;

import dev.cpt.core.store.FileEntry;

import java.nio.file.Path;

/**
 * A file of a checkpoint that may be served: listed in the manifest, inside the checkpoint folder.
 *
 * @param path the file (its real path lies inside the checkpoint folder)
 * @param entry the manifest's entry for it (name, size, SHA-256)
 */
public record CheckpointFile(Path path, FileEntry entry) {
}
