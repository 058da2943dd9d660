package dev.cpt.ingest.lookahead;

import dev.cpt.ingest.validate.Outcome;
import dev.cpt.ingest.validate.Validator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validates (and so hashes) the documents a stream thread has polled on worker threads, while the
 * stream thread still processes the documents before them: one stream's ingest then uses more than
 * one core, although Kafka Streams gives each stream's packing a single thread.
 *
 * <p>Validation is a pure function of a record's key, value and headers ({@link Validator}), so an
 * outcome computed ahead is exactly the one computed on the spot; the processor asks for the outcome
 * of the record at its partition and offset and validates on the spot whenever none is there (the
 * first poll, a record beyond the budget, a consumer that went back). A processor that reaches a
 * document before any worker has started on it validates it itself, so it never waits on an idle
 * worker, and a worker starved of CPU costs nothing but the hand-off.
 *
 * <p>Everything but the outcomes' computation is confined to the stream thread: {@link #add} runs
 * in its consumer's poll, {@link #take} and {@link #forget} in its processors. The documents
 * validated but not yet taken hold at most {@link #AHEAD_BYTES} of record keys and values (plus one
 * document), so that memory stays bounded however many records Streams buffers.
 */
public final class Lookahead implements AutoCloseable {

    /**
     * How far ahead of the stream thread the workers may run, in bytes of record keys and values. While the stream
     * thread waits on a commit (flush, offsets, end of transaction: about 20 ms every commit interval) the workers go
     * on, and 16 MiB is only about 25 ms of a worker's validation. Two alternating pairs of 5-run bench series: medians
     * 0.69 and 0.70 with 16 MiB, 0.70 and 0.72 with 64 MiB, a small gain in noisy figures, never a loss.
     */
    static final long AHEAD_BYTES = 64L << 20;

    private static final ThreadLocal<Lookahead> ON_THREAD = new ThreadLocal<>();

    private final ThreadPoolExecutor workers;
    private final Map<Integer, ArrayDeque<Entry>> byPartition = new HashMap<>();
    /** Entries in poll order not yet given to a worker. */
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private long aheadBytes;
    private String topic;
    private Validator validator;

    /** A polled record and its validation, which a worker or the stream thread runs once. */
    private static final class Entry {
        final long offset;
        final byte[] value;
        final long size;
        final FutureTask<Outcome> validation;
        boolean submitted;
        /** the thread that ran the validation; read only after get(), which makes the write visible */
        Thread ranOn;

        Entry(ConsumerRecord<byte[], byte[]> r, Validator validator) {
            this.offset = r.offset();
            this.value = r.value();
            this.size = (r.value() == null ? 0 : r.value().length) + (r.key() == null ? 0 : r.key().length);
            byte[] key = r.key();
            byte[] value = r.value();
            // a copy: the worker must not read headers the stream thread may touch
            RecordHeaders headers = new RecordHeaders(r.headers().toArray());
            this.validation = new FutureTask<>(() -> {
                ranOn = Thread.currentThread();
                return validator.validate(key, value, headers);
            });
        }
    }

    /**
     * An outcome validated ahead.
     *
     * @param byWorker whether a worker validated it; false when the stream thread got there first
     */
    public record Taken(Outcome outcome, boolean byWorker) {
    }

    /**
     * @param threads    worker threads, at least 1; started on first use
     * @param clientId   the stream thread's consumer client id, which their names end with
     */
    public Lookahead(int threads, String clientId) {
        if (threads < 1) {
            throw new IllegalArgumentException("a lookahead needs at least 1 worker thread, got " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            // "cpt-lookahead-N" first: tools that show 15 characters of a thread name (top -H, perf) tell it from the stream thread
            Thread t = new Thread(r, "cpt-lookahead-" + n.incrementAndGet() + "-" + clientId);
            t.setDaemon(true);
            return t;
        };
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
    }

    /** The lookahead of the consumer polling on this thread, or null when it has none. */
    public static Lookahead onThisThread() {
        return ON_THREAD.get();
    }

    /** Makes this the lookahead of the calling thread (its consumer's poll thread). */
    void bindToThisThread() {
        if (ON_THREAD.get() != this) {
            ON_THREAD.set(this);
        }
    }

    /**
     * Validates the records of {@code topic} with {@code validator} from the next poll on; the
     * validating processor calls this before it takes an outcome.
     */
    public void validateWith(String topic, Validator validator) {
        if (!topic.equals(this.topic) || validator != this.validator) {
            forgetAll();
            this.topic = topic;
            this.validator = validator;
        }
    }

    /** Queues the validation of a poll's records of the topic, and hands workers what the budget allows. */
    void add(ConsumerRecords<byte[], byte[]> records) {
        if (validator == null) {
            return;
        }
        for (TopicPartition tp : records.partitions()) {
            if (!tp.topic().equals(topic)) {
                continue;
            }
            ArrayDeque<Entry> queue = byPartition.computeIfAbsent(tp.partition(), p -> new ArrayDeque<>());
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                if (!queue.isEmpty() && r.offset() <= queue.peekLast().offset) {
                    // the consumer went back (a task was reset): the records queued after it will come again
                    drop(queue);
                }
                Entry e = new Entry(r, validator);
                queue.addLast(e);
                waiting.addLast(e);
            }
        }
        submit();
    }

    /**
     * The outcome of the record at {@code offset} of {@code partition}, validated ahead; null when it
     * was not queued, and then the caller validates it. Entries before it are dropped: Streams
     * processes a partition's records in offset order.
     *
     * @param value the record's value, which must be the very array polled
     */
    public Taken take(int partition, long offset, byte[] value) {
        ArrayDeque<Entry> queue = byPartition.get(partition);
        if (queue == null) {
            return null;
        }
        while (!queue.isEmpty() && queue.peekFirst().offset < offset) {
            release(queue.pollFirst());
        }
        Entry e = queue.peekFirst();
        if (e == null || e.offset != offset || e.value != value) {
            return null;
        }
        queue.pollFirst();
        e.validation.run(); // does nothing when a worker has started it: then get() waits for the worker
        Outcome outcome = outcome(e.validation);
        release(e);
        submit();
        return new Taken(outcome, e.ranOn != Thread.currentThread());
    }

    /** Drops what is queued for a partition whose task closed: it may never come back to this thread. */
    public void forget(int partition) {
        ArrayDeque<Entry> queue = byPartition.remove(partition);
        if (queue != null) {
            drop(queue);
            waiting.removeIf(e -> e.validation.isDone());
        }
    }

    /** Bytes of records handed to workers and not yet taken. */
    long aheadBytes() {
        return aheadBytes;
    }

    /** Whether every validation handed to a worker has finished (for tests). */
    boolean caughtUp() {
        return byPartition.values().stream().flatMap(ArrayDeque::stream).noneMatch(e -> e.submitted && !e.validation.isDone());
    }

    /** Stops the workers; outcomes not yet validated are then validated on the spot. */
    @Override
    public void close() {
        workers.shutdownNow();
        if (ON_THREAD.get() == this) {
            ON_THREAD.remove();
        }
    }

    private void forgetAll() {
        byPartition.values().forEach(this::drop);
        byPartition.clear();
        waiting.clear();
    }

    private void drop(ArrayDeque<Entry> queue) {
        queue.forEach(this::release);
        queue.clear();
    }

    private void release(Entry e) {
        e.validation.cancel(false); // a worker skips it; a finished one stays finished
        if (e.submitted) {
            e.submitted = false;
            aheadBytes -= e.size;
        }
    }

    private void submit() {
        while (!waiting.isEmpty() && aheadBytes < AHEAD_BYTES) {
            Entry e = waiting.pollFirst();
            if (e.validation.isDone()) { // taken on the spot, or dropped
                continue;
            }
            try {
                workers.execute(e.validation);
            } catch (RejectedExecutionException closed) {
                waiting.clear(); // closed: the processor validates on the spot
                return;
            }
            e.submitted = true;
            aheadBytes += e.size;
        }
    }

    private static Outcome outcome(FutureTask<Outcome> validation) {
        try {
            return validation.get();
        } catch (ExecutionException ex) {
            // validation threw: the same exception on the spot, for the processing exception handler
            if (ex.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (ex.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("validation failed", ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a document's validation", ex);
        }
    }
}
