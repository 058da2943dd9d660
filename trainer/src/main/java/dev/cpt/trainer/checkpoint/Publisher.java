package dev.cpt.trainer.checkpoint;

import dev.cpt.core.store.AliasFile;
import dev.cpt.core.store.AliasTable;
import dev.cpt.core.store.Checksums;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Publishes decayed branches into {@code <store>/branches/<id>/} (weights + {@code manifest.json},
 * atomically), moves the store's aliases, and applies branch retention: the newest
 * {@code keep} branches stay, and so does every aliased or pinned one.
 */
public final class Publisher {

    private static final Logger log = LoggerFactory.getLogger(Publisher.class);

    private final StoreLayout layout;
    private final int keep;

    public Publisher(Path store, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1: " + keep);
        }
        this.layout = new StoreLayout(store);
        this.keep = keep;
        AtomicDir.removeIncomplete(layout.branches());
    }

    /**
     * Completes {@code draft} with the size and SHA-256 of every file in {@code dir} and writes it as
     * {@code dir/manifest.json}: the last thing written before the folder is made visible.
     */
    public static Manifest seal(Path dir, Manifest draft) throws IOException {
        Manifest m = draft.withFiles(Checksums.entries(dir, StoreLayout.MANIFEST));
        m.write(dir);
        return m;
    }

    /** A branch as published. */
    public record Published(Manifest manifest, Path dir, String manifestSha256) {
    }

    /**
     * Writes branch {@code draft.id()}: {@code writer} puts the files in a temporary folder, the
     * manifest is sealed, the folder renamed into place; then {@code latest-decayed} points to it
     * and retention runs.
     */
    public Published publishBranch(Manifest draft, AtomicDir.Writer writer) throws IOException {
        Manifest[] sealed = new Manifest[1];
        Path dir = AtomicDir.write(layout.branches(), draft.id(), tmp -> {
            writer.write(tmp);
            sealed[0] = seal(tmp, draft);
        });
        alias(AliasTable.LATEST_DECAYED, draft.id());
        retain();
        return new Published(sealed[0], dir, Checksums.sha256(dir.resolve(StoreLayout.MANIFEST)));
    }

    public void alias(String alias, String id) throws IOException {
        AliasFile.update(layout.root(), t -> t.with(alias, id));
    }

    /** The next branch sequence number: one more than the highest in the store (so ids never repeat after a restart). */
    public long nextSeq() {
        return branchIds().stream().mapToLong(StoreLayout::branchSeq).max().orElse(0) + 1;
    }

    /** Published branch ids, oldest first. */
    public List<String> branchIds() {
        if (!Files.isDirectory(layout.branches())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(layout.branches())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> StoreLayout.branchSeq(n) >= 0)
                    .sorted((a, b) -> Long.compare(StoreLayout.branchSeq(a), StoreLayout.branchSeq(b))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes branches beyond the newest {@code keep}, never an aliased or pinned one; returns the deleted ids. */
    public List<String> retain() throws IOException {
        List<String> deleted = new ArrayList<>();
        // under the alias lock: nobody can alias or pin a branch between our check and the delete
        AliasFile.update(layout.root(), table -> {
            Set<String> protectedIds = table.protectedIds();
            List<String> ids = branchIds();
            for (int i = 0; i < ids.size() - keep; i++) {
                String id = ids.get(i);
                if (!protectedIds.contains(id)) {
                    AtomicDir.delete(layout.branches().resolve(id));
                    deleted.add(id);
                }
            }
            return table;
        });
        if (!deleted.isEmpty()) {
            log.info("retention (cpt.branch.keep={}): deleted branches {}", keep, deleted);
        }
        return deleted;
    }
}
