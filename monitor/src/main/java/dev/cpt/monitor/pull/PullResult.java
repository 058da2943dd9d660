package dev.cpt.monitor.pull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What one pull did.
 *
 * @param alias the alias pulled
 * @param id the checkpoint it names, now {@code DIR/current}
 * @param dir the checkpoint's folder, {@code DIR/<id>}
 * @param changed false when {@code DIR/current} already held {@code id} (nothing was done)
 * @param previous what {@code DIR/previous} names now, if anything
 * @param downloadedFiles files downloaded (0 when nothing changed, or when a kept folder was reused)
 * @param downloadedBytes bytes downloaded
 */
public record PullResult(String alias, String id, Path dir, boolean changed, Optional<String> previous,
                         int downloadedFiles, long downloadedBytes) {

    /** One line for people: what was pulled and where it is. */
    public String line() {
        Path current = dir.resolveSibling(Puller.CURRENT);
        if (!changed) {
            return id + " (alias " + alias + ") is already current: " + current + " -> " + id;
        }
        return "pulled " + id + " (alias " + alias + ", " + downloadedFiles + " file" + (downloadedFiles == 1 ? "" : "s")
                + ", " + Progress.size(downloadedBytes) + ") into " + dir + "; " + current + " -> " + id
                + previous.map(p -> ", " + dir.resolveSibling(Puller.PREVIOUS) + " -> " + p).orElse("");
    }
}
