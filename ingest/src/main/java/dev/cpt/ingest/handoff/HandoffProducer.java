package dev.cpt.ingest.handoff;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.metrics.KafkaMetric;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A producer whose {@code send} hands the record to a thread of its own, which calls the real
 * producer's {@code send}: Kafka's producer compresses a batch in the thread that appends to it,
 * and lz4 was close to half of the ingest stream thread's CPU. Records reach the real producer in
 * the order they were sent (one FIFO queue, one thread).
 *
 * <p>Exactly-once stays intact because every call that ends or checks a transaction's content
 * ({@code flush}, {@code sendOffsetsToTransaction}, {@code commitTransaction}, {@code
 * abortTransaction}, {@code close}) first waits until every record handed over has reached the
 * real producer: a transaction holds exactly the records sent between its begin and its commit,
 * as without the hand-off. The real producer's {@code send} throws only when the producer can no
 * longer send (fenced, closed, a transaction in error); a hand-over's caller has already gone on,
 * so the exception sticks: every later call but {@code abortTransaction} throws it, the records
 * after it are not sent, and the transaction that misses the failed record cannot commit. Only an
 * abort clears it, and then the input is processed again. The queue is bounded ({@code capacity}
 * records): a stream thread ahead of the sender waits.
 */
public final class HandoffProducer implements Producer<byte[], byte[]> {

    private static final Runnable STOP = () -> { };

    private final Producer<byte[], byte[]> producer;
    private final BlockingQueue<Runnable> queue;
    private final Thread sender;
    /** The first exception a handed-over send threw in this transaction; written by the sender thread, cleared by an abort. */
    private volatile RuntimeException failure;

    /**
     * @param producer the real producer, which this one closes
     * @param capacity records handed over and not yet sent at most, at least 1
     * @param name     the sender thread's name
     */
    public HandoffProducer(Producer<byte[], byte[]> producer, int capacity, String name) {
        this.producer = producer;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sender = new Thread(this::sendLoop, name);
        sender.setDaemon(true);
        sender.start();
    }

    private void sendLoop() {
        while (true) {
            Runnable next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == STOP) {
                return;
            }
            next.run();
        }
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        throwFailure();
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        hand(() -> {
            RuntimeException failed = failure;
            if (failed != null) { // the transaction cannot commit any more: send nothing into it
                result.completeExceptionally(failed);
                return;
            }
            try {
                producer.send(record, (metadata, exception) -> {
                    if (callback != null) {
                        callback.onCompletion(metadata, exception);
                    }
                    if (exception != null) {
                        result.completeExceptionally(exception);
                    } else {
                        result.complete(metadata);
                    }
                });
            } catch (RuntimeException e) {
                failure = e;
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public void flush() {
        drain();
        producer.flush();
    }

    @Override
    public void initTransactions() {
        producer.initTransactions();
    }

    @Override
    public void beginTransaction() {
        drain();
        producer.beginTransaction();
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
        drain();
        producer.sendOffsetsToTransaction(offsets, groupMetadata);
    }

    @Override
    public void commitTransaction() {
        drain();
        producer.commitTransaction();
    }

    /** Aborts the transaction, and with it a failed send's exception: after it, sends go out again. */
    @Override
    public void abortTransaction() {
        awaitHandedOver();
        producer.abortTransaction();
        failure = null;
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return producer.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return producer.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return producer.clientInstanceId(timeout);
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
        producer.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
        producer.unregisterMetricFromSubscription(metric);
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Override
    public void close(Duration timeout) {
        try {
            if (sender.isAlive()) {
                queue.offer(STOP, Math.min(timeout.toMillis(), 30_000), TimeUnit.MILLISECONDS);
                sender.join(Math.min(timeout.toMillis(), 30_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sender.interrupt();
            producer.close(timeout);
        }
    }

    /** Waits until every record handed over has reached the real producer, then throws what a send threw. */
    private void drain() {
        awaitHandedOver();
        throwFailure();
    }

    private void awaitHandedOver() {
        if (Thread.currentThread() == sender || !sender.isAlive()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        hand(done::countDown);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    private void hand(Runnable task) {
        if (!sender.isAlive()) {
            throw new IllegalStateException("the producer's sender thread has stopped: the producer is closed");
        }
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    private void throwFailure() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }
}
