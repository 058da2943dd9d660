package dev.cpt.core.kafka;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.KafkaSettings;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A topic cpt creates when it is missing.
 *
 * @param replication empty = the cluster's default
 * @param retention empty = keep forever
 */
public record TopicSpec(String name, int partitions, Optional<Short> replication, Optional<Duration> retention) {

    /** The topics of the flow as configured: partitions, replication and retention from config. */
    public static List<TopicSpec> forFlow(Config config) {
        Topics t = Topics.from(config);
        int partitions = config.get(KafkaSettings.TOPIC_PARTITIONS);
        int rf = config.get(KafkaSettings.TOPIC_REPLICATION);
        Optional<Short> replication = rf < 0 ? Optional.empty() : Optional.of((short) rf);
        Optional<Duration> retention = Optional.of(config.get(KafkaSettings.TOPIC_RETENTION));
        List<TopicSpec> specs = new ArrayList<>();
        for (String name : List.of(t.docs(), t.dlq(), t.heldout(), t.sequences(), t.telemetry())) {
            specs.add(new TopicSpec(name, partitions, replication, retention));
        }
        // the checkpoint history is small and is the registry's memory: never expire it
        specs.add(new TopicSpec(t.checkpoints(), 1, replication, Optional.empty()));
        // one partition keeps requests in the order they were made
        specs.add(new TopicSpec(t.control(), 1, replication, retention));
        return specs;
    }

    NewTopic toNewTopic() {
        NewTopic topic = new NewTopic(name, Optional.of(partitions), replication);
        String retentionMs = retention.map(d -> String.valueOf(d.toMillis())).orElse("-1");
        return topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, retentionMs));
    }
}
