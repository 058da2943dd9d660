package dev.cpt.core.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the topics that are missing; existing topics are left exactly as they are. */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /**
     * @return the names of the topics created by this call
     * @throws KafkaSetupException naming the cluster, the topic and the broker's reason when the
     *     cluster cannot be reached or refuses a topic
     */
    public static List<String> ensure(Admin admin, List<TopicSpec> specs, Duration timeout, String cluster) {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unreachable(cluster, timeout, e);
        } catch (ExecutionException e) {
            // the admin client's own time-out (default.api.timeout.ms) may fire before ours
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(cluster, timeout, e.getCause());
            }
            throw new KafkaSetupException("cannot list topics on Kafka cluster " + cluster + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("interrupted while listing topics on " + cluster, e);
        }
        List<NewTopic> missing = specs.stream().filter(s -> !existing.contains(s.name())).map(TopicSpec::toNewTopic).toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        CreateTopicsResult result = admin.createTopics(missing);
        List<String> created = new ArrayList<>();
        for (NewTopic topic : missing) {
            try {
                result.values().get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // created by someone else meanwhile: fine
                    throw new KafkaSetupException("Kafka cluster " + cluster + " refused to create topic " + topic.name()
                            + " (partitions " + topic.numPartitions() + ", replication "
                            + (topic.replicationFactor() < 0 ? "cluster default" : topic.replicationFactor()) + "): "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new KafkaSetupException("Kafka cluster " + cluster + " did not create topic " + topic.name()
                        + " within " + timeout.toSeconds() + " s (cpt.kafka.admin.timeout)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaSetupException("interrupted while creating topic " + topic.name(), e);
            }
        }
        return created;
    }

    private static KafkaSetupException unreachable(String cluster, Duration timeout, Throwable cause) {
        return new KafkaSetupException("Kafka cluster " + cluster + " did not answer within " + timeout.toSeconds()
                + " s (cpt.kafka.admin.timeout); is it running and reachable?", cause);
    }
}
