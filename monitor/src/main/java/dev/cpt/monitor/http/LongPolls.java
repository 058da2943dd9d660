package dev.cpt.monitor.http;

import com.sun.net.httpserver.HttpExchange;
import dev.cpt.monitor.registry.Registry;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Alias long-polls held without a thread: the exchange is kept, and answered either from the
 * registry's shared watcher (200 with the new id, as soon as the alias moves) or from the timer
 * (304 at the deadline), whichever comes first; answers are written on the timer's threads.
 */
final class LongPolls {

    /** Writes the 200 answer for {@code alias} now pointing at {@code id}. */
    @FunctionalInterface
    interface Answer {
        void send(HttpExchange ex, String alias, String id) throws IOException;
    }

    private final class Pending {
        final HttpExchange ex;
        final String alias;
        final String knownId;
        final AtomicBoolean answered = new AtomicBoolean();
        volatile CompletableFuture<String> change;
        volatile ScheduledFuture<?> deadline;

        Pending(HttpExchange ex, String alias, String knownId) {
            this.ex = ex;
            this.alias = alias;
            this.knownId = knownId;
        }

        /** Answers once: the new id (200), or null for 304. */
        void finish(String newId, Throwable error) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            held.remove(this);
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (change != null) {
                change.cancel(false); // leaves the watcher at once
            }
            try {
                if (error != null && !(error instanceof CancellationException)) {
                    Http.error(ex, 503, "cannot watch alias " + alias + ": " + error);
                } else if (newId != null) {
                    answer.send(ex, alias, newId);
                } else {
                    AliasesHandler.notModified(ex, knownId);
                }
            } catch (IOException | RuntimeException e) {
                V1Handler.fail(ex, e);
            }
        }
    }

    private final Registry registry;
    private final ScheduledExecutorService timer;
    private final Answer answer;
    private final Set<Pending> held = ConcurrentHashMap.newKeySet();

    LongPolls(Registry registry, ScheduledExecutorService timer, Answer answer) {
        this.registry = registry;
        this.timer = timer;
        this.answer = answer;
    }

    /** Keeps {@code ex} until {@code alias} leaves {@code knownId} or {@code wait} passes; returns at once. */
    void hold(HttpExchange ex, String alias, String knownId, Duration wait) {
        Pending p = new Pending(ex, alias, knownId);
        held.add(p);
        p.deadline = timer.schedule(() -> p.finish(null, null), wait.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<String> f = registry.awaitChange(alias, knownId);
        p.change = f;
        f.whenCompleteAsync((id, error) -> p.finish(id, error), timer);
        if (p.answered.get()) {
            f.cancel(false); // the deadline passed before the future was set
        }
    }

    /** How many requests are held now. */
    int held() {
        return held.size();
    }

    void close() {
        for (Pending p : Set.copyOf(held)) {
            p.finish(null, null);
        }
    }
}
