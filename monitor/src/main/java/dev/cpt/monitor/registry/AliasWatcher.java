package dev.cpt.monitor.registry;

import dev.cpt.core.format.Json;
import dev.cpt.core.store.AliasTable;
import dev.cpt.core.store.StoreLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One daemon thread that reads {@code aliases.json} every {@code interval} while anyone waits, and
 * completes each waiter whose alias moved away from the id it knew. It sleeps on a monitor while
 * nobody waits. The file is replaced by an atomic rename, so a read sees a whole table.
 */
final class AliasWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AliasWatcher.class);

    private record Waiter(String knownId, CompletableFuture<String> future) {
    }

    private record Done(CompletableFuture<String> future, String id) {
    }

    private final Path file;
    private final long intervalMs;
    private final Object lock = new Object();
    private final Map<String, List<Waiter>> waiters = new HashMap<>();
    private Thread thread;
    private boolean closed;
    private byte[] lastContent;
    private AliasTable lastTable = AliasTable.EMPTY;

    AliasWatcher(Path store, Duration interval) {
        this.file = store.resolve(StoreLayout.ALIASES);
        this.intervalMs = Math.max(10, interval.toMillis());
    }

    CompletableFuture<String> await(String alias, String knownId) {
        CompletableFuture<String> f = new CompletableFuture<>();
        String now;
        synchronized (lock) {
            if (closed) {
                f.completeExceptionally(new IllegalStateException("the registry is closed"));
                return f;
            }
            try {
                now = table().aliases().get(alias); // a fresh read: no change between the caller's read and here is missed
            } catch (IOException e) {
                f.completeExceptionally(e);
                return f;
            }
            if (now == null || now.equals(knownId)) {
                waiters.computeIfAbsent(alias, a -> new ArrayList<>()).add(new Waiter(knownId, f));
                if (thread == null) {
                    thread = new Thread(this::run, "cpt-alias-watcher");
                    thread.setDaemon(true);
                    thread.start();
                }
                lock.notifyAll();
                return f;
            }
        }
        f.complete(now);
        return f;
    }

    /** Waiters not yet answered (tests, metrics). */
    int waiting() {
        synchronized (lock) {
            return waiters.values().stream().mapToInt(l -> (int) l.stream().filter(w -> !w.future().isDone()).count()).sum();
        }
    }

    private void run() {
        while (true) {
            synchronized (lock) {
                prune();
                while (!closed && waiters.isEmpty()) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        if (closed) {
                            return;
                        }
                    }
                }
                if (closed) {
                    return;
                }
            }
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                // closing: checked above on the next turn
            }
            List<Done> done = new ArrayList<>();
            synchronized (lock) {
                if (closed) {
                    return;
                }
                AliasTable t;
                try {
                    t = table();
                } catch (IOException | RuntimeException e) {
                    log.warn("cannot read {}: {}", file, e.toString());
                    continue;
                }
                for (Map.Entry<String, List<Waiter>> e : waiters.entrySet()) {
                    String id = t.aliases().get(e.getKey());
                    for (Waiter w : e.getValue()) {
                        if (id != null && !id.equals(w.knownId()) && !w.future().isDone()) {
                            done.add(new Done(w.future(), id));
                        }
                    }
                    e.getValue().removeIf(w -> w.future().isDone() || (id != null && !id.equals(w.knownId())));
                }
            }
            for (Done d : done) { // outside the lock: dependents may call await again
                d.future().complete(d.id());
            }
        }
    }

    private void prune() {
        waiters.values().forEach(l -> l.removeIf(w -> w.future().isDone()));
        waiters.values().removeIf(List::isEmpty);
    }

    /** The table now; parsed again only when the file's bytes changed. Called under the lock. */
    private AliasTable table() throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            lastContent = null;
            lastTable = AliasTable.EMPTY;
            return AliasTable.EMPTY;
        }
        if (!Arrays.equals(content, lastContent)) {
            lastTable = Json.MAPPER.readValue(content, AliasTable.class);
            lastContent = content;
        }
        return lastTable;
    }

    @Override
    public void close() {
        List<Waiter> pending = new ArrayList<>();
        Thread t;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            waiters.values().forEach(pending::addAll);
            waiters.clear();
            t = thread;
            lock.notifyAll();
        }
        if (t != null) {
            t.interrupt();
        }
        pending.forEach(w -> w.future().cancel(false));
    }
}
