package dev.cpt.core.config;

import java.time.Duration;

/** How cpt reaches Kafka, and the topics it creates. */
public final class KafkaSettings {

    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.of("cpt.kafka.bootstrap.servers", ValueType.STRING, "",
            "Kafka cluster to use (host:port,...); empty starts an embedded single-node broker under cpt.data.dir.",
            Rule.hostPortListOrEmpty());

    public static final Setting<Integer> BROKER_PORT = Setting.of("cpt.kafka.broker.port", ValueType.INT, 0,
            "Client port of the embedded broker on 127.0.0.1; 0 picks a free one.", Rule.port());

    public static final Setting<Integer> CONTROLLER_PORT = Setting.of("cpt.kafka.controller.port", ValueType.INT, 0,
            "KRaft controller port of the embedded broker on 127.0.0.1; 0 picks a free one.", Rule.port());

    public static final Setting<String> TOPIC_PREFIX = Setting.of("cpt.kafka.topic.prefix", ValueType.STRING, "cpt",
            "Prefix of every topic name: <prefix>.docs, <prefix>.sequences, ...",
            Rule.matches("[a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)*", "letters, digits, '_', '-', separated by single dots"));

    public static final Setting<Integer> TOPIC_PARTITIONS = Setting.of("cpt.kafka.topic.partitions", ValueType.INT, 1,
            "Partitions of the topics cpt creates when they are missing.", Rule.between(1, 10_000));

    public static final Setting<Integer> TOPIC_REPLICATION = Setting.of("cpt.kafka.topic.replication", ValueType.INT, -1,
            "Replication factor of the topics cpt creates; -1 uses the cluster's default.",
            new Rule<>("-1 or between 1 and 32", v -> v == -1 || (v >= 1 && v <= 32)));

    public static final Setting<Duration> TOPIC_RETENTION = Setting.of("cpt.kafka.topic.retention", ValueType.DURATION_TYPE,
            Duration.ofDays(7), "Retention of the data topics cpt creates (docs, dlq, heldout, sequences, telemetry); cpt.checkpoints keeps everything.",
            Rule.atLeast(Duration.ofMinutes(1)));

    public static final Setting<Duration> ADMIN_TIMEOUT = Setting.of("cpt.kafka.admin.timeout", ValueType.DURATION_TYPE,
            Duration.ofSeconds(30), "How long start-up waits for the cluster to answer (topic listing and creation).",
            Rule.atLeast(Duration.ofSeconds(1)));

    private KafkaSettings() {
    }
}
