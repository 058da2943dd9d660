package dev.cpt.trainer.branch;

import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Requests for a branch waiting for the training thread: filled by the HTTP server and the
 * control topic, drained by the trainer between steps. Bounded: a request beyond the capacity is
 * refused, and the caller reports the refusal. Thread-safe.
 */
public final class BranchRequests {

    /** A request as queued. */
    public record Pending(BranchSpec spec, String origin, long requestedMs) {
    }

    /** What happened to an offered request. */
    public record Outcome(Result result, int position, String message) {
        public boolean accepted() {
            return result == Result.QUEUED;
        }
    }

    /** Queued, or why not: the HTTP answers 202, 400, 429 and 503 map to these. */
    public enum Result { QUEUED, INVALID, QUEUE_FULL, UNAVAILABLE }

    private final int capacity;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long accepted;
    private long refused;

    public BranchRequests(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
    }

    public synchronized Outcome offer(BranchSpec spec, String origin) {
        if (queue.size() >= capacity) {
            refused++;
            return new Outcome(Result.QUEUE_FULL, -1, "refused: " + queue.size() + " branch requests are already waiting"
                    + " (cpt.branch.queue.capacity=" + capacity + "); try again after a branch finishes");
        }
        queue.add(new Pending(spec, origin, System.currentTimeMillis()));
        accepted++;
        return new Outcome(Result.QUEUED, queue.size(), "queued at position " + queue.size() + ": " + spec.describe());
    }

    public synchronized Optional<Pending> poll() {
        return Optional.ofNullable(queue.poll());
    }

    public synchronized int size() {
        return queue.size();
    }

    public int capacity() {
        return capacity;
    }

    public synchronized long accepted() {
        return accepted;
    }

    public synchronized long refused() {
        return refused;
    }
}
