package dev.cpt.ingest;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.CoreSettings;
import dev.cpt.core.config.IngestSettings;
import dev.cpt.ingest.handoff.HandoffClientSupplier;
import dev.cpt.ingest.lookahead.LookaheadInterceptor;
import dev.cpt.ingest.metrics.IngestMetrics;
import dev.cpt.ingest.topology.IngestOptions;
import dev.cpt.ingest.topology.IngestTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import dev.cpt.core.kafka.Topics;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ingest as a running Kafka Streams application with exactly-once processing
 * ({@code exactly_once_v2}): the output sequences, the dead letters, the dedup and packing state
 * and the input offsets are committed in one transaction.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;

    private IngestService(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
    }

    /** The topology for the configuration and {@code cpt.docs}'s partition count, e.g. to describe it. */
    public static Topology topology(Config config, int docsPartitions, IngestMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        IngestTopology.build(builder, IngestOptions.from(config), docsPartitions, metrics);
        return builder.build();
    }

    /**
     * The partition count of {@code cpt.docs} on the cluster, which decides which records may skip the
     * repartition topic.
     *
     * @throws IllegalStateException when the topic does not exist or the cluster does not answer in time
     */
    public static int docsPartitions(Config config, String bootstrapServers, Duration timeout) {
        String docs = Topics.from(config).docs();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "cpt-ingest-admin",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()))) {
            return admin.describeTopics(List.of(docs)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(docs).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the partitions of " + docs + " on " + bootstrapServers
                    + " (cpt standalone and cpt ingest create it at start): " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot read the partitions of " + docs + " on " + bootstrapServers
                    + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the partitions of " + docs, e);
        }
    }

    /** Kafka Streams settings of the ingest; state lives under {@code <cpt.data.dir>/streams}. */
    public static Properties streamsProperties(Config config, String bootstrapServers) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get(IngestSettings.APPLICATION_ID));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(config).toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.get(IngestSettings.THREADS));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.get(IngestSettings.COMMIT_INTERVAL).toMillis());
        p.put(StreamsConfig.POLL_MS_CONFIG, pollMillis(config));
        // A record that fails in a way validation did not foresee (a bug, a corrupt internal record) must
        // not stop the ingest: Streams writes it, with its exception in __streams.errors.* headers, to the
        // dead-letter topic and goes on (KIP-1034).
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.from(config).dlq());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), config.get(IngestSettings.COMPRESSION).kafkaName());
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // Half the produce requests of 256 KB. Each one costs more than its bytes: the producer's network thread wakes
        // for it, its callbacks run, the broker handles it. The ingest's 300 MB bench window went from 160 to 178 MB/s
        // and its process CPU fell 9% (the copy, which takes the same size, from 217 to 226), and a batch stays well
        // under a broker's default message.max.bytes (1 MB)
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 512 * 1024);
        // a document may be large (cpt.ingest.max.document.bytes): let the repartition topic carry it
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Math.max(1_048_576, config.get(IngestSettings.MAX_DOCUMENT_BYTES) * 2 + 65_536));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        // A consumer has one fetch in flight per broker and sends the next only from poll: with Kafka's 1 MB, the stream
        // thread, with the lookahead ahead of it, got through a fetch before the next one arrived (waiting for input
        // 0.22 s of a 2 s bench window); 4 MiB keeps them busy in between.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), config.get(IngestSettings.FETCH_BYTES));
        // the OS's buffer sizes (autotuned), not Kafka's 64/128 KB: a consumer reads the socket only in poll, so a
        // fetch response larger than the buffer waits for the next poll to finish arriving
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.RECEIVE_BUFFER_CONFIG), -1);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.SEND_BUFFER_CONFIG), -1);
        int lookahead = config.get(IngestSettings.LOOKAHEAD_THREADS);
        if (lookahead > 0) {
            p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG), LookaheadInterceptor.class.getName());
            p.put(StreamsConfig.mainConsumerPrefix(LookaheadInterceptor.THREADS), lookahead);
        }
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                (int) config.get(IngestSettings.SESSION_TIMEOUT).toMillis());
        return p;
    }

    /**
     * How long the stream thread blocks in poll when it has no input: a tenth of the commit interval, at most Kafka's
     * 100 ms. The thread checks the commit interval only between polls, so with 100 ms the last documents of a burst
     * waited a whole idle poll, 100 ms on top of the interval, before their commit made them readable (measured: 102 to
     * 116 ms from the last document to its commit, every time). An idle poll that returns sooner costs a wake-up.
     */
    static long pollMillis(Config config) {
        return Math.max(1, Math.min(100, config.get(IngestSettings.COMMIT_INTERVAL).toMillis() / 10));
    }

    public static Path stateDir(Config config) {
        return config.get(CoreSettings.DATA_DIR).resolve("streams");
    }

    /**
     * Starts the ingest and waits until it is running (or {@code timeout} passes).
     *
     * @throws IllegalStateException when it does not reach RUNNING in time, after closing it
     */
    public static IngestService start(Config config, String bootstrapServers, MeterRegistry registry, Duration timeout) {
        IngestMetrics metrics = new IngestMetrics(registry);
        int docsPartitions = docsPartitions(config, bootstrapServers, timeout);
        Topology topology = topology(config, docsPartitions, metrics);
        Properties properties = streamsProperties(config, bootstrapServers);
        KafkaStreams streams = config.get(IngestSettings.PRODUCER_HANDOFF)
                ? new KafkaStreams(topology, properties, new HandoffClientSupplier())
                : new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("ingest stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> log.info("ingest {} -> {}", before, now));
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR
                    || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                KafkaStreams.State state = streams.state();
                streamsMetrics.close();
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException("the ingest did not start within " + timeout.toSeconds() + " s (state " + state + ")");
            }
            sleep(20);
        }
        return new IngestService(streams, streamsMetrics);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the ingest", e);
        }
    }

    /**
     * Commits the open transaction and stops, leaving the consumer group: without that, a restarted
     * ingest would wait a whole session timeout for its old self before it gets its partitions.
     */
    @Override
    public void close() {
        streamsMetrics.close();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
    }
}
