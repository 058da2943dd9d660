package dev.cpt.trainer.branch;

import dev.cpt.core.format.BranchRequest;
import dev.cpt.core.format.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads branch requests from {@code cpt.control} on its own thread and hands each to
 * {@code submit} (the trainer's queue). The group's committed offset makes a request count once
 * across restarts; a malformed or refused request is logged with its offset and reason.
 */
public final class ControlConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlConsumer.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean stop;

    /** @param submit takes a request and its origin, answers with the outcome */
    public ControlConsumer(String bootstrapServers, String topic, String groupId,
                           BiFunction<BranchRequest, String, BranchRequests.Outcome> submit) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.CLIENT_ID_CONFIG, "cpt-trainer-control",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = new Thread(() -> loop(submit), "cpt-trainer-control");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(BiFunction<BranchRequest, String, BranchRequests.Outcome> submit) {
        try {
            while (!stop) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    String origin = "control topic " + r.topic() + "-" + r.partition() + "@" + r.offset();
                    try {
                        BranchRequest request = BranchRequest.parse(r.value());
                        BranchRequests.Outcome o = submit.apply(request, origin);
                        if (o.accepted()) {
                            log.info("branch request from {}: {}", origin, o.message());
                        } else {
                            log.warn("branch request from {} refused: {}", origin, o.message());
                        }
                    } catch (IOException e) {
                        log.warn("branch request from {} ignored: not a BranchRequest JSON object: {}", origin, e.getMessage());
                    }
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("the control-topic reader stopped; branch requests on the topic are not read until a restart", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        stop = true;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
