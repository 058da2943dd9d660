package dev.cpt.ingest.lookahead;

import dev.cpt.ingest.validate.Outcome;
import dev.cpt.ingest.validate.Validator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LookaheadTest {

    private static final String DOCS = "cpt.docs";
    private static final Validator VALIDATOR = new Validator(4 << 20, Set.of());

    private final Lookahead lookahead = new Lookahead(1, "test-consumer");

    @AfterEach
    void close() {
        lookahead.close();
    }

    @Test
    void shouldGiveEachRecordTheOutcomeValidationGivesIt() {
        lookahead.validateWith(DOCS, VALIDATOR);
        List<ConsumerRecord<byte[], byte[]>> polled = List.of(
                record(0, 0, "web", "{\"id\":\"a\",\"text\":\"first  document\"}"),
                record(0, 1, "web", "raw text, keyed by its stream"),
                record(0, 2, null, "{\"text\":\"no id, stream in the json\",\"stream\":\"code\"}"),
                record(0, 3, "web", "{\"text\": "),
                new ConsumerRecord<>(DOCS, 0, 4, bytes("web"), new byte[]{'a', (byte) 0xc3, '(', 'b'}),
                record(0, 5, null, "no stream anywhere"));
        lookahead.add(poll(polled));

        for (ConsumerRecord<byte[], byte[]> r : polled) {
            Lookahead.Taken taken = lookahead.take(r.partition(), r.offset(), r.value());
            assertThat(taken).as("offset %d", r.offset()).isNotNull();
            assertSameOutcome(taken.outcome(), VALIDATOR.validate(r.key(), r.value(), r.headers()));
        }
        assertThat(lookahead.aheadBytes()).isZero();
    }

    @Test
    void shouldValidateOnAWorkerWhileTheStreamThreadIsBusy() throws InterruptedException {
        lookahead.validateWith(DOCS, VALIDATOR);
        List<ConsumerRecord<byte[], byte[]>> polled = documents(0, 0, 50, 2000);
        lookahead.add(poll(polled));
        awaitCaughtUp();

        for (ConsumerRecord<byte[], byte[]> r : polled) {
            assertThat(lookahead.take(r.partition(), r.offset(), r.value()).byWorker()).as("offset %d", r.offset()).isTrue();
        }
    }

    @Test
    void shouldLeaveARecordItDidNotQueueToTheCaller() {
        lookahead.add(poll(documents(0, 0, 3, 10))); // before any processor asked: not queued
        assertThat(lookahead.take(0, 0, new byte[0])).isNull();

        lookahead.validateWith(DOCS, VALIDATOR);
        List<ConsumerRecord<byte[], byte[]>> polled = documents(0, 3, 3, 10);
        lookahead.add(poll(polled));
        lookahead.add(poll(List.of(new ConsumerRecord<>("other.topic", 1, 0, bytes("web"), bytes("not ours")))));

        assertThat(lookahead.take(1, 0, polled.get(0).value())).as("another partition").isNull();
        assertThat(lookahead.take(0, 3, polled.get(0).value().clone())).as("another array at that offset").isNull();
        assertThat(lookahead.take(0, 9, polled.get(0).value())).as("an offset past the queue").isNull();
        assertThat(lookahead.aheadBytes()).as("everything before offset 9 was dropped").isZero();
    }

    @Test
    void shouldStartOverWhenTheConsumerGoesBack() {
        lookahead.validateWith(DOCS, VALIDATOR);
        List<ConsumerRecord<byte[], byte[]>> first = documents(0, 0, 10, 100);
        lookahead.add(poll(first));
        for (int i = 0; i < 5; i++) {
            lookahead.take(0, i, first.get(i).value());
        }
        // a task reset: the consumer seeks back to offset 5 and polls those records again, as new arrays
        List<ConsumerRecord<byte[], byte[]>> again = documents(0, 5, 5, 100);
        lookahead.add(poll(again));

        for (ConsumerRecord<byte[], byte[]> r : again) {
            Lookahead.Taken taken = lookahead.take(0, r.offset(), r.value());
            assertThat(taken).as("offset %d", r.offset()).isNotNull();
            assertSameOutcome(taken.outcome(), VALIDATOR.validate(r.key(), r.value(), r.headers()));
        }
        assertThat(lookahead.aheadBytes()).isZero();
    }

    @Test
    void shouldDropWhatItQueuedForAPartitionItForgets() {
        lookahead.validateWith(DOCS, VALIDATOR);
        List<ConsumerRecord<byte[], byte[]>> polled = new ArrayList<>(documents(0, 0, 5, 100));
        polled.addAll(documents(1, 0, 5, 100));
        lookahead.add(poll(polled));

        lookahead.forget(0);

        assertThat(lookahead.take(0, 0, polled.get(0).value())).isNull();
        for (ConsumerRecord<byte[], byte[]> r : polled.subList(5, 10)) {
            assertThat(lookahead.take(1, r.offset(), r.value())).isNotNull();
        }
        assertThat(lookahead.aheadBytes()).isZero();
    }

    @Test
    void shouldRunNoFurtherAheadThanItsBudget() {
        lookahead.validateWith(DOCS, VALIDATOR);
        int size = 1 << 20;
        List<ConsumerRecord<byte[], byte[]>> polled = documents(0, 0, 40, size);
        lookahead.add(poll(polled));
        for (ConsumerRecord<byte[], byte[]> r : polled) {
            assertThat(lookahead.aheadBytes()).isLessThanOrEqualTo(Lookahead.AHEAD_BYTES + size + 64);
            Lookahead.Taken taken = lookahead.take(0, r.offset(), r.value());
            assertSameOutcome(taken.outcome(), VALIDATOR.validate(r.key(), r.value(), r.headers()));
        }
        assertThat(lookahead.aheadBytes()).isZero();
    }

    @Test
    void shouldValidateOnTheSpotOnceClosed() {
        lookahead.validateWith(DOCS, VALIDATOR);
        lookahead.close();
        List<ConsumerRecord<byte[], byte[]>> polled = documents(0, 0, 5, 100);
        lookahead.add(poll(polled));

        for (ConsumerRecord<byte[], byte[]> r : polled) {
            Lookahead.Taken taken = lookahead.take(0, r.offset(), r.value());
            assertThat(taken.byWorker()).isFalse();
            assertSameOutcome(taken.outcome(), VALIDATOR.validate(r.key(), r.value(), r.headers()));
        }
    }

    private void awaitCaughtUp() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!lookahead.caughtUp()) {
            assertThat(System.nanoTime()).as("the worker validated the poll within 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    static void assertSameOutcome(Outcome actual, Outcome expected) {
        assertThat(actual).hasSameClassAs(expected);
        if (expected instanceof Outcome.Accepted e) {
            Outcome.Accepted a = (Outcome.Accepted) actual;
            assertThat(a.document()).isEqualTo(e.document());
            assertThat(a.utf8()).isEqualTo(e.utf8());
            assertThat(a.dedupKey()).isEqualTo(e.dedupKey());
        } else {
            Outcome.Rejected e = (Outcome.Rejected) expected;
            Outcome.Rejected a = (Outcome.Rejected) actual;
            assertThat(a.reason()).isEqualTo(e.reason());
            assertThat(a.detail()).isEqualTo(e.detail());
            assertThat(a.original()).isSameAs(e.original());
        }
    }

    /** {@code n} JSON documents of about {@code size} bytes on a partition, from offset {@code first}. */
    private static List<ConsumerRecord<byte[], byte[]>> documents(int partition, long first, int n, int size) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            char[] words = new char[size];
            Arrays.fill(words, 'w');
            for (int j = 7; j < size; j += 8) {
                words[j] = ' ';
            }
            out.add(record(partition, first + i, "web", "{\"text\":\"" + (first + i) + " " + new String(words) + "\"}"));
        }
        return out;
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String key, String value) {
        return new ConsumerRecord<>(DOCS, partition, offset, key == null ? null : bytes(key), bytes(value));
    }

    private static ConsumerRecords<byte[], byte[]> poll(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>()).add(r);
        }
        return new ConsumerRecords<>(byPartition, Map.of());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
