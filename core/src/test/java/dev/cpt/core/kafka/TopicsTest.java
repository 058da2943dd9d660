package dev.cpt.core.kafka;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigLoader;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Topic names of the flow and the specs cpt creates them with. */
class TopicsTest {

    private static Config config(String... sets) {
        return ConfigLoader.load(Optional.empty(), Map.of(), List.of(sets));
    }

    @Test
    void shouldNameDefaultTopicsUnderCptPrefix() {
        assertThat(Topics.DEFAULT.all()).containsExactly(
                "cpt.docs", "cpt.docs.dlq", "cpt.heldout", "cpt.sequences", "cpt.telemetry", "cpt.checkpoints", "cpt.control");
    }

    @Test
    void shouldMatchConstantsToDefaultNames() {
        assertThat(List.of(Topics.DOCS, Topics.DLQ, Topics.HELDOUT, Topics.SEQUENCES, Topics.TELEMETRY, Topics.CHECKPOINTS,
                Topics.CONTROL))
                .isEqualTo(Topics.DEFAULT.all());
        assertThat(Topics.DEFAULT.docs()).isEqualTo(Topics.DOCS);
        assertThat(Topics.DEFAULT.dlq()).isEqualTo(Topics.DLQ);
        assertThat(Topics.DEFAULT.checkpoints()).isEqualTo(Topics.CHECKPOINTS);
    }

    @Test
    void shouldPutEveryNameUnderAnotherPrefix() {
        Topics t = Topics.withPrefix("staging.cpt");

        assertThat(t.all()).containsExactly("staging.cpt.docs", "staging.cpt.docs.dlq", "staging.cpt.heldout",
                "staging.cpt.sequences", "staging.cpt.telemetry", "staging.cpt.checkpoints", "staging.cpt.control");
        assertThat(t.heldout()).isEqualTo("staging.cpt.heldout");
    }

    @Test
    void shouldTakeThePrefixFromConfig() {
        assertThat(Topics.from(Config.defaults())).isEqualTo(Topics.DEFAULT);
        assertThat(Topics.from(config("cpt.kafka.topic.prefix=exp1"))).isEqualTo(Topics.withPrefix("exp1"));
    }

    @Test
    void shouldSpecifyEveryFlowTopicWithDefaultsFromConfig() {
        List<TopicSpec> specs = TopicSpec.forFlow(Config.defaults());

        assertThat(specs).extracting(TopicSpec::name).isEqualTo(Topics.DEFAULT.all());
        assertThat(specs.subList(0, 5)).allSatisfy(s -> {
            assertThat(s.partitions()).isEqualTo(1);
            assertThat(s.replication()).isEmpty();
            assertThat(s.retention()).contains(Duration.ofDays(7));
        });
    }

    @Test
    void shouldUsePartitionsReplicationRetentionAndPrefixFromConfig() {
        List<TopicSpec> specs = TopicSpec.forFlow(config("cpt.kafka.topic.prefix=x", "cpt.kafka.topic.partitions=6",
                "cpt.kafka.topic.replication=3", "cpt.kafka.topic.retention=2d"));

        assertThat(specs).extracting(TopicSpec::name, TopicSpec::partitions, TopicSpec::replication, TopicSpec::retention)
                .containsExactly(
                        tuple("x.docs", 6, Optional.of((short) 3), Optional.of(Duration.ofDays(2))),
                        tuple("x.docs.dlq", 6, Optional.of((short) 3), Optional.of(Duration.ofDays(2))),
                        tuple("x.heldout", 6, Optional.of((short) 3), Optional.of(Duration.ofDays(2))),
                        tuple("x.sequences", 6, Optional.of((short) 3), Optional.of(Duration.ofDays(2))),
                        tuple("x.telemetry", 6, Optional.of((short) 3), Optional.of(Duration.ofDays(2))),
                        tuple("x.checkpoints", 1, Optional.of((short) 3), Optional.empty()),
                        tuple("x.control", 1, Optional.of((short) 3), Optional.of(Duration.ofDays(2))));
    }

    @Test
    void shouldKeepControlRequestsInOrderInOnePartition() {
        Config config = config("cpt.kafka.topic.prefix=exp1", "cpt.kafka.topic.partitions=12", "cpt.kafka.topic.retention=1h");

        TopicSpec control = TopicSpec.forFlow(config).stream()
                .filter(s -> s.name().equals("exp1.control"))
                .findFirst().orElseThrow();

        assertThat(Topics.from(config).control()).isEqualTo("exp1.control");
        assertThat(control.partitions()).isEqualTo(1);
        assertThat(control.retention()).contains(Duration.ofHours(1));
        assertThat(control.toNewTopic().numPartitions()).isEqualTo(1);
        assertThat(TopicSpec.forFlow(Config.defaults())).extracting(TopicSpec::name).contains(Topics.CONTROL);
    }

    @Test
    void shouldKeepEveryCheckpointForeverInOnePartition() {
        TopicSpec checkpoints = checkpointsSpec(config("cpt.kafka.topic.partitions=12", "cpt.kafka.topic.retention=1h"));

        assertThat(checkpoints.name()).isEqualTo(Topics.CHECKPOINTS);
        assertThat(checkpoints.retention()).isEmpty();
        assertThat(checkpoints.partitions()).isEqualTo(1);
        assertThat(checkpoints.toNewTopic().configs()).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
    }

    @Test
    void shouldCreateNewTopicWithRetentionInMilliseconds() {
        NewTopic docs = TopicSpec.forFlow(config("cpt.kafka.topic.retention=2h", "cpt.kafka.topic.partitions=3"))
                .get(0).toNewTopic();

        assertThat(docs.name()).isEqualTo(Topics.DOCS);
        assertThat(docs.numPartitions()).isEqualTo(3);
        assertThat(docs.configs()).containsExactly(Map.entry(TopicConfig.RETENTION_MS_CONFIG, "7200000"));
    }

    @Test
    void shouldLeaveReplicationToTheClusterWhenConfiguredAsMinusOne() {
        NewTopic docs = TopicSpec.forFlow(Config.defaults()).get(0).toNewTopic();

        assertThat(docs.replicationFactor()).isEqualTo((short) -1);
    }

    @Test
    void shouldSetReplicationFactorWhenConfigured() {
        NewTopic docs = TopicSpec.forFlow(config("cpt.kafka.topic.replication=3")).get(0).toNewTopic();

        assertThat(docs.replicationFactor()).isEqualTo((short) 3);
    }

    private static TopicSpec checkpointsSpec(Config config) {
        return TopicSpec.forFlow(config).stream()
                .filter(s -> s.name().equals(Topics.from(config).checkpoints()))
                .findFirst().orElseThrow();
    }
}
