package dev.cpt.monitor.registry;

import dev.cpt.core.store.AliasFile;
import dev.cpt.core.store.AliasTable;
import dev.cpt.core.store.FileEntry;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The checkpoints of a store as the monitor serves them. A checkpoint is visible only when it is
 * complete: its folder is named by a valid id (never {@code .tmp-*}) and holds a readable
 * {@code manifest.json} whose id is that id. Only files the manifest lists are served, and only
 * from inside the checkpoint folder. Thread-safe.
 */
public final class Registry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Registry.class);
    private static final Pattern STEP_DIR = Pattern.compile("\\d{12}");

    /** Newest first: creation time, then step, then id. */
    public static final Comparator<Manifest> NEWEST_FIRST = Comparator.comparingLong(Manifest::createdMs)
            .thenComparingLong(Manifest::step).thenComparing(Manifest::id).reversed();

    private final StoreLayout layout;
    private final AliasWatcher watcher;

    public Registry(Path store) {
        this(store, Duration.ofMillis(100));
    }

    /** {@code pollInterval}: how often the alias watcher reads {@code aliases.json} while anyone waits. */
    public Registry(Path store, Duration pollInterval) {
        this.layout = new StoreLayout(Objects.requireNonNull(store, "store"));
        this.watcher = new AliasWatcher(store, pollInterval);
    }

    public Path store() {
        return layout.root();
    }

    /** Complete checkpoints, of {@code kind} when given, newest first. */
    public List<Manifest> list(Optional<Manifest.Kind> kind) {
        List<Manifest> out = new ArrayList<>();
        for (Path dir : children(layout.main())) {
            String name = dir.getFileName().toString();
            if (STEP_DIR.matcher(name).matches()) {
                read("main-" + name).ifPresent(out::add);
            }
        }
        for (Path dir : children(layout.branches())) {
            String name = dir.getFileName().toString();
            if (!StoreLayout.isMainId(name)) { // a main id maps to main/, never to this folder
                read(name).ifPresent(out::add);
            }
        }
        return out.stream().filter(m -> kind.isEmpty() || m.kind() == kind.get()).sorted(NEWEST_FIRST).toList();
    }

    /** The manifest of a complete checkpoint, or empty (unknown, malformed id, in progress, unreadable). */
    public Optional<Manifest> manifest(String id) {
        return read(id);
    }

    /** The file {@code name} of checkpoint {@code id} when its manifest lists it; see {@link #open}. */
    public Optional<Path> file(String id, String name) {
        return open(id, name).map(CheckpointFile::path);
    }

    /**
     * The file {@code name} of checkpoint {@code id} with its manifest entry: {@code name} is a
     * {@link StoreLayout#FILE_NAME} or a '/'-separated path of such segments, listed in the
     * manifest's files; the file's real path lies inside the checkpoint folder (no link leads out).
     */
    public Optional<CheckpointFile> open(String id, String name) {
        if (!isFileName(name)) {
            return Optional.empty();
        }
        Optional<Manifest> m = read(id);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Optional<FileEntry> entry = m.get().files().stream().filter(f -> f.name().equals(name)).findFirst();
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Path dir = layout.dirOf(id).orElseThrow();
        Path file = dir.resolve(name).normalize();
        try {
            Path realDir = dir.toRealPath();
            Path real = file.toRealPath();
            if (!file.startsWith(dir) || !real.startsWith(realDir) || real.equals(realDir) || !Files.isRegularFile(real)) {
                return Optional.empty();
            }
            return Optional.of(new CheckpointFile(real, entry.get()));
        } catch (IOException e) {
            return Optional.empty(); // listed but missing
        }
    }

    /** Whether {@code name} may name a file inside a checkpoint: FILE_NAME segments joined by '/'. */
    public static boolean isFileName(String name) {
        if (name == null || name.isEmpty() || name.length() > 1024) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (!StoreLayout.FILE_NAME.matcher(segment).matches()) {
                return false;
            }
        }
        return true;
    }

    public AliasTable aliases() throws IOException {
        return AliasFile.read(layout.root());
    }

    /** Points {@code alias} at {@code id} and leaves the pins alone; see {@link #setAlias(String, String, boolean)}. */
    public AliasTable setAlias(String alias, String id) throws IOException {
        return change(alias, id, null);
    }

    /**
     * Points {@code alias} at {@code id} and pins ({@code pin}) or unpins it, under the store's
     * alias lock. Returns the new table.
     *
     * @throws IllegalArgumentException when the alias or id does not match {@link StoreLayout#ID}
     * @throws NoSuchElementException when there is no complete checkpoint {@code id}
     */
    public AliasTable setAlias(String alias, String id, boolean pin) throws IOException {
        return change(alias, id, pin);
    }

    private AliasTable change(String alias, String id, Boolean pin) throws IOException {
        if (alias == null || !StoreLayout.ID.matcher(alias).matches()) {
            throw new IllegalArgumentException("an alias must match " + StoreLayout.ID.pattern() + ", got '" + alias + "'");
        }
        if (id == null || !StoreLayout.ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a checkpoint id must match " + StoreLayout.ID.pattern() + ", got '" + id + "'");
        }
        return AliasFile.update(layout.root(), t -> {
            if (read(id).isEmpty()) { // checked under the lock
                throw new NoSuchElementException("no complete checkpoint " + id + " in the store");
            }
            AliasTable next = t.with(alias, id);
            return pin == null ? next : next.pin(id, pin);
        });
    }

    /**
     * Completes with the alias's id as soon as it points at something other than {@code knownId}
     * (at once when it already does). One watcher thread serves every waiter; cancel the future to
     * stop waiting.
     */
    public CompletableFuture<String> awaitChange(String alias, String knownId) {
        return watcher.await(alias, knownId);
    }

    /** Stops the alias watcher; pending waits are cancelled. */
    @Override
    public void close() {
        watcher.close();
    }

    private Optional<Manifest> read(String id) {
        Optional<Path> dir = layout.dirOf(id);
        if (dir.isEmpty() || !Files.isDirectory(dir.get(), LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(dir.get().resolve(StoreLayout.MANIFEST))) {
            return Optional.empty();
        }
        try {
            Manifest m = Manifest.read(dir.get());
            if (!m.id().equals(id)) {
                log.debug("{} holds a manifest of {}: not listed", dir.get(), m.id());
                return Optional.empty();
            }
            return Optional.of(m);
        } catch (IOException | RuntimeException e) {
            log.debug("{} has no readable manifest: {}", dir.get(), e.toString());
            return Optional.empty();
        }
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (!name.startsWith(StoreLayout.TMP) && StoreLayout.ID.matcher(name).matches()
                        && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            log.warn("cannot list {}: {}", dir, e.toString());
        }
        return out;
    }
}
