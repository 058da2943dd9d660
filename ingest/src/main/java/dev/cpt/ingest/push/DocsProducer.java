package dev.cpt.ingest.push;

import dev.cpt.core.kafka.KafkaSetupException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The Kafka side of a push: checks the cluster and the topic, then sends with an idempotent producer.
 *
 * <p>The check comes first because a producer alone explains nothing: on an unreachable cluster
 * or a missing topic (auto-creation is off) each {@code send} just blocks for {@code max.block.ms}.
 */
public final class DocsProducer {

    /** Hint for every "cannot reach" message: the two ways to get a cluster. */
    static final String HINT = "start `cpt standalone` or set cpt.kafka.bootstrap.servers";

    static final int LINGER_MS = 10;
    static final int BATCH_BYTES = 512 * 1024;
    /** The largest document plus room for key, headers and batch overhead. */
    static final int MAX_REQUEST_BYTES = SourceOptions.DEFAULT_MAX_DOCUMENT_BYTES + 64 * 1024;

    private DocsProducer() {
    }

    /**
     * Checks the cluster and the topic, sends {@code source} and returns the summary. The
     * producer is flushed and closed before this returns.
     *
     * @throws KafkaSetupException when the cluster does not answer within {@code timeout}, or the topic is missing
     */
    public static PushSummary push(String bootstrap, String topic, Duration timeout, DocumentSource source,
                                   PushListener listener, LongSupplier nanoTime) {
        check(bootstrap, topic, timeout);
        Producer<byte[], byte[]> producer = create(bootstrap, timeout);
        try {
            return new Pusher(producer, topic, listener, nanoTime).push(source);
        } finally {
            producer.close(timeout);
        }
    }

    /**
     * Makes sure the cluster answers and the topic exists, within {@code timeout}.
     *
     * @throws KafkaSetupException naming the bootstrap address, with what to do
     */
    public static void check(String bootstrap, String topic, Duration timeout) {
        long ms = timeout.toMillis();
        Admin admin;
        try {
            admin = Admin.create(adminConfig(bootstrap, timeout));
        } catch (KafkaException e) { // e.g. no resolvable host in bootstrap.servers
            throw new KafkaSetupException("cannot use Kafka cluster " + bootstrap + ": " + rootMessage(e) + "; " + HINT, e);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) ms)).nodes().get(ms + 1000, TimeUnit.MILLISECONDS);
            admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) ms))
                    .allTopicNames().get(ms + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownTopicOrPartitionException) {
                throw new KafkaSetupException("topic " + topic + " does not exist on Kafka cluster " + bootstrap
                        + "; `cpt standalone` creates the topics when it starts (or create it with your cluster's tools)", cause);
            }
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(bootstrap, timeout, cause);
            }
            throw new KafkaSetupException("Kafka cluster " + bootstrap + " refused: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw unreachable(bootstrap, timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("interrupted while connecting to Kafka cluster " + bootstrap, e);
        } finally {
            admin.close(Duration.ZERO); // nothing left to wait for, and an unreachable cluster must not delay the exit
        }
    }

    private static KafkaSetupException unreachable(String bootstrap, Duration timeout, Throwable cause) {
        return new KafkaSetupException("Kafka cluster " + bootstrap + " did not answer within " + Units.timeout(timeout)
                + " (--timeout); is it running and reachable? (" + HINT + ")", cause);
    }

    /** A producer for {@code cpt.docs}; see {@link #producerConfig}. */
    public static Producer<byte[], byte[]> create(String bootstrap, Duration timeout) {
        return new KafkaProducer<>(producerConfig(bootstrap, timeout));
    }

    /**
     * Idempotent, {@code acks=all}, lz4, {@code linger.ms=10}, 512 KiB batches: a retried batch
     * is never written twice, and bulk text compresses well. Every wait is bounded by
     * {@code timeout}: {@code max.block.ms} (metadata, a full buffer) is {@code timeout},
     * {@code request.timeout.ms} is {@code timeout} up to Kafka's 30 s default, and
     * {@code delivery.timeout.ms} (from send to acknowledgement, retries included) is
     * {@code timeout}, at least {@code request.timeout.ms + linger.ms} as Kafka requires.
     */
    static Map<String, Object> producerConfig(String bootstrap, Duration timeout) {
        int request = (int) Math.min(timeout.toMillis(), 30_000);
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "cpt-push");
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        c.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, request);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, Math.max(timeout.toMillis(), request + LINGER_MS)));
        return c;
    }

    static Map<String, Object> adminConfig(String bootstrap, Duration timeout) {
        int ms = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "cpt-push-check",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 30_000));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
