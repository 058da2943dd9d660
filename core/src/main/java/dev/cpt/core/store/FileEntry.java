package dev.cpt.core.store;

/**
 * One file of a checkpoint as listed in its manifest.
 *
 * @param name file name inside the checkpoint folder (or a relative path for nested files, '/'-separated)
 * @param size bytes
 * @param sha256 lower-case hex SHA-256 of the content
 */
public record FileEntry(String name, long size, String sha256) {
}
