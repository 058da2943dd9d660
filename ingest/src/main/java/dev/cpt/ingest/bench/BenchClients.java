package dev.cpt.ingest.bench;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.IngestSettings;
import dev.cpt.ingest.IngestService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/** Client settings of the bench: producers batch like the ingest's own producer, so that only the work differs. */
final class BenchClients {

    private BenchClients() {
    }

    /** Idempotent producer with the ingest's compression, linger, batch size, request size and socket buffer. */
    static Map<String, Object> producer(Config config, String bootstrap, String clientId) {
        Properties streams = IngestService.streamsProperties(config, bootstrap);
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        copy(streams, StreamsConfig::producerPrefix, p, ProducerConfig.COMPRESSION_TYPE_CONFIG, ProducerConfig.LINGER_MS_CONFIG,
                ProducerConfig.BATCH_SIZE_CONFIG, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ProducerConfig.SEND_BUFFER_CONFIG);
        return p;
    }

    /**
     * A read_committed consumer for manual assignment, no auto-commit, with the ingest's max.poll.records and socket
     * buffer; groupId may be null. Not the ingest's fetch size ({@code cpt.ingest.fetch.bytes}): the copy is faster with
     * Kafka's 1 MB (205 MB/s against 189 with 4 MiB, mean of ten runs each), and the baseline is the copy at its best.
     */
    static Map<String, Object> consumer(Config config, String bootstrap, String clientId, String groupId) {
        Properties streams = IngestService.streamsProperties(config, bootstrap);
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (groupId != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        copy(streams, StreamsConfig::consumerPrefix, c, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, ConsumerConfig.RECEIVE_BUFFER_CONFIG);
        return c;
    }

    /** Puts into {@code client} each of {@code keys} that the ingest's Streams settings set under {@code prefix}. */
    private static void copy(Properties streams, UnaryOperator<String> prefix, Map<String, Object> client, String... keys) {
        for (String key : keys) {
            Object v = streams.get(prefix.apply(key));
            if (v != null) {
                client.put(key, v);
            }
        }
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "cpt-bench-admin"));
    }

    static String applicationId(Config config) {
        return config.get(IngestSettings.APPLICATION_ID);
    }
}
