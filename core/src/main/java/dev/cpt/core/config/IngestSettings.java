package dev.cpt.core.config;

import java.time.Duration;

/** The ingest: validation, dedup, held-out split, tokenizer and packing. */
public final class IngestSettings {

    public static final Setting<Integer> SEQUENCE_LENGTH = Setting.of("cpt.ingest.sequence.length", ValueType.INT, 257,
            "Tokens per packed sequence: the model's context plus 1 for the shifted target.", Rule.between(2, 1 << 20));

    public static final Setting<Integer> SEQUENCES_PER_RECORD = Setting.of("cpt.ingest.sequences.per.record", ValueType.INT, 64,
            "Most packed sequences per record of cpt.sequences/cpt.heldout (a version 3 block when over 1); Kafka's cost is per record.",
            Rule.between(1, 4096));

    public static final Setting<Double> HELDOUT_FRACTION = Setting.of("cpt.ingest.heldout.fraction", ValueType.DOUBLE, 0.02,
            "Fraction of documents (by a stable hash of the id) sent to the held-out topic instead of training.",
            Rule.between(0.0, 1.0));

    public static final Setting<Duration> DEDUP_TTL = Setting.of("cpt.ingest.dedup.ttl", ValueType.DURATION_TYPE,
            Duration.ofDays(7), "How long a document's content hash is remembered to drop exact duplicates (bounds the store).",
            Rule.atLeast(Duration.ofMinutes(1)));

    public static final Setting<Integer> MAX_DOCUMENT_BYTES = Setting.of("cpt.ingest.max.document.bytes", ValueType.INT,
            1_000_000, "Largest accepted document value in bytes; larger ones go to the dead-letter topic as oversize.",
            Rule.between(1, Integer.MAX_VALUE));

    public static final Setting<String> STREAMS_ALLOWED = Setting.of("cpt.ingest.streams.allowed", ValueType.STRING, "",
            "Comma-separated allow-list of stream ids; empty accepts every new stream automatically.",
            Rule.matches("|[a-z0-9][a-z0-9._-]{0,63}(\\s*,\\s*[a-z0-9][a-z0-9._-]{0,63})*",
                    "empty, or stream ids [a-z0-9][a-z0-9._-]{0,63} separated by commas"));

    public static final Setting<String> TOKENIZER = Setting.of("cpt.ingest.tokenizer", ValueType.STRING, "byte",
            "Tokenizer: 'byte' (256 bytes + EOS/BOS/PAD) or the path of a HuggingFace tokenizer.json (it must have an end-of-text token).", Rule.nonBlank());

    public static final Setting<String> APPLICATION_ID = Setting.of("cpt.ingest.application.id", ValueType.STRING, "cpt-ingest",
            "Kafka Streams application id of the ingest (its consumer group and internal topic prefix).",
            Rule.matches("[a-zA-Z0-9._-]+", "letters, digits, '.', '_', '-'"));

    /** Kafka's producer compression codecs. */
    public enum Compression {
        NONE, LZ4, SNAPPY, ZSTD, GZIP;

        /** The value of Kafka's {@code compression.type}. */
        public String kafkaName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final Setting<Compression> COMPRESSION = Setting.of("cpt.ingest.compression", ValueType.enumOf(Compression.class),
            Compression.LZ4, "Compression of what the ingest writes (sequences, held-out, dead letters, its changelogs).");

    public static final Setting<Integer> THREADS = Setting.of("cpt.ingest.threads", ValueType.INT, 1,
            "Kafka Streams threads of the ingest.", Rule.between(1, 64));

    public static final Setting<Integer> LOOKAHEAD_THREADS = Setting.of("cpt.ingest.lookahead.threads", ValueType.INT, 1,
            "Threads per ingest thread that validate and hash polled documents ahead of it, so one stream uses more than one core; 0 = none.",
            Rule.between(0, 16));

    public static final Setting<Boolean> PRODUCER_HANDOFF = Setting.of("cpt.ingest.producer.handoff", ValueType.BOOLEAN, true,
            "Hand each ingest thread's output to a sender thread of its own, which compresses it, instead of compressing on the ingest thread.");

    public static final Setting<Integer> FETCH_BYTES = Setting.of("cpt.ingest.fetch.bytes", ValueType.INT, 4 << 20,
            "Bytes the ingest fetches per partition and request (Kafka's max.partition.fetch.bytes): more keeps its threads busy between fetches.",
            Rule.between(64 << 10, 64 << 20));

    public static final Setting<Duration> COMMIT_INTERVAL = Setting.of("cpt.ingest.commit.interval", ValueType.DURATION_TYPE,
            Duration.ofMillis(100), "How often the ingest commits its transaction: latency against throughput.",
            Rule.atLeast(Duration.ofMillis(10)));

    public static final Setting<Duration> SESSION_TIMEOUT = Setting.of("cpt.ingest.session.timeout", ValueType.DURATION_TYPE,
            Duration.ofSeconds(45), "How soon the partitions of a crashed ingest instance move to another one (consumer session timeout).",
            new Rule<>("between 6s and 30m", d -> d.compareTo(Duration.ofSeconds(6)) >= 0 && d.compareTo(Duration.ofMinutes(30)) <= 0));

    private IngestSettings() {
    }
}
