package dev.cpt.ingest.bench;

import dev.cpt.core.config.Config;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import dev.cpt.core.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads back what the ingest committed ({@code read_committed}) and compares it with the
 * {@link Expectation}: per stream and split the number of sequences, their numbering (0, 1, 2, ...
 * without gaps) and their tokens (a CRC32C over all of them), and the number of dead letters.
 */
public final class OutputCheck {

    /**
     * What the output topics hold.
     *
     * @param sequenceBytes the record values of both sequence topics, summed: the binary
     *                      {@code TokenSequence}s, before the producer's compression
     */
    public record Output(long trainSequences, long heldoutSequences, long records, long sequenceBytes, long deadLetters, List<String> problems) {
    }

    private OutputCheck() {
    }

    public static Output check(Config config, String bootstrap, Expectation expected, Duration timeout) {
        Topics topics = Topics.from(config);
        Map<Expectation.Split, SequenceDigest> got = new TreeMap<>();
        Map<Expectation.Split, Long> nextNumber = new HashMap<>();
        List<String> problems = new ArrayList<>();
        long train = 0;
        long heldout = 0;
        long dead = 0;
        long records = 0;
        long bytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(BenchClients.consumer(config, bootstrap, "cpt-bench-check", null),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : List.of(topics.sequences(), topics.heldout(), topics.dlq())) {
                consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    problems.add("could not read the output topics within " + timeout.toSeconds() + " s");
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.dlq())) {
                        dead++;
                        continue;
                    }
                    boolean isHeldout = r.topic().equals(topics.heldout());
                    records++;
                    bytes += r.value().length;
                    for (TokenSequence s : TokenSequenceSerde.decodeAll(r.value())) {
                        Expectation.Split split = new Expectation.Split(s.stream(), isHeldout);
                        long expectedNumber = nextNumber.getOrDefault(split, 0L);
                        if (s.sequence() != expectedNumber && problems.size() < 20) {
                            problems.add(split + ": sequence number " + s.sequence() + " where " + expectedNumber + " was due");
                        }
                        nextNumber.put(split, s.sequence() + 1);
                        if (s.length() != expected.sequenceLength() && problems.size() < 20) {
                            problems.add(split + ": sequence " + s.sequence() + " has " + s.length() + " tokens, not " + expected.sequenceLength());
                        }
                        got.computeIfAbsent(split, x -> new SequenceDigest(s.length())).add(s.tokens());
                        if (isHeldout) {
                            heldout++;
                        } else {
                            train++;
                        }
                    }
                }
            }
        }
        TreeSet<Expectation.Split> splits = new TreeSet<>(expected.digests().keySet());
        splits.addAll(got.keySet());
        for (Expectation.Split split : splits) {
            SequenceDigest want = expected.digests().get(split);
            SequenceDigest have = got.get(split);
            long wantN = want == null ? 0 : want.sequences();
            long haveN = have == null ? 0 : have.sequences();
            if (wantN != haveN) {
                problems.add(split + ": " + haveN + " sequences on the topic, " + wantN + " expected");
            } else if (wantN > 0 && want.crc() != have.crc()) {
                problems.add(split + ": the " + haveN + " sequences do not hold the documents' tokens (CRC32C differs)");
            }
        }
        if (dead != expected.rejected()) {
            problems.add(dead + " records on " + topics.dlq() + ", " + expected.rejected() + " expected");
        }
        return new Output(train, heldout, records, bytes, dead, problems);
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
