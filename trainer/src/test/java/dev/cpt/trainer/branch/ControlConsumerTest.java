package dev.cpt.trainer.branch;

import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.format.BranchRequest;
import dev.cpt.trainer.branch.BranchRequests.Outcome;
import dev.cpt.trainer.branch.BranchRequests.Result;
import dev.cpt.trainer.schedule.Shape;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ControlConsumerTest {

    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.startTemporary();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("control-a", 1, (short) 1), new NewTopic("control-b", 1, (short) 1)))
                    .all().get();
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** Records what reaches the trainer's queue, with its origin. */
    private record Call(BranchRequest request, String origin) {
    }

    /** Stands in for the trainer: validates a request as the trainer does, records it and answers {@code answer}. */
    private static final class Recorder implements BiFunction<BranchRequest, String, Outcome> {
        private static final BranchSpec DEFAULTS = new BranchSpec(Shape.ONE_MINUS_SQRT, 0, 0.2, 0.0, new BranchData.Upcoming());
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final Semaphore arrived = new Semaphore(0);
        final Result answer;

        Recorder(Result answer) {
            this.answer = answer;
        }

        @Override
        public Outcome apply(BranchRequest request, String origin) {
            calls.add(new Call(request, origin));
            arrived.release();
            try {
                DEFAULTS.with(request); // what TrainerService.requestBranch does before it queues
            } catch (IllegalArgumentException e) {
                return new Outcome(Result.INVALID, -1, "invalid: " + e.getMessage());
            }
            return new Outcome(answer, answer == Result.QUEUED ? calls.size() : -1, answer.name());
        }

        List<BranchRequest> requests() {
            return calls.stream().map(Call::request).toList();
        }

        void awaitCalls(int n) throws InterruptedException {
            assertThat(arrived.tryAcquire(n, 30, TimeUnit.SECONDS)).as("%d calls within 30 s; got %s", n, calls).isTrue();
        }
    }

    private static void produce(String topic, String... values) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (String v : values) {
                p.send(new ProducerRecord<>(topic, v.getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
    }

    @Test
    void shouldSubmitValidAndEmptyRequestsSkipMalformedOnesAndNeverSubmitOneTwiceAcrossARestart() throws Exception {
        produce("control-a", "{\"steps\":50,\"data\":\"replay\",\"note\":\"nightly\",\"unknown\":1}", "{not json", "");
        BranchRequest nightly = new BranchRequest(null, 50L, null, null, "replay", "nightly");

        Recorder first = new Recorder(Result.QUEUED);
        try (ControlConsumer c = new ControlConsumer(broker.bootstrapServers(), "control-a", "trainer-control", first)) {
            first.awaitCalls(2);
        } // closed as soon as the last request is handed over: its offset must be committed all the same

        assertThat(first.requests()).containsExactly(nightly, BranchRequest.DEFAULTS);
        assertThat(first.calls).extracting(Call::origin)
                .containsExactly("control topic control-a-0@0", "control topic control-a-0@2");

        produce("control-a", "{\"shape\":\"linear\"}");
        Recorder second = new Recorder(Result.QUEUED);
        try (ControlConsumer c = new ControlConsumer(broker.bootstrapServers(), "control-a", "trainer-control", second)) {
            second.awaitCalls(1);
            Thread.sleep(300);
        }

        assertThat(second.requests()).as("only the request produced after the restart")
                .containsExactly(new BranchRequest("linear", null, null, null, null, null));
    }

    @Test
    void shouldKeepReadingAfterRefusedInvalidAndNonObjectRequests() throws Exception {
        produce("control-b", "null", "[1,2]", "{\"floor\":\"high\"}", "{\"shape\":\"sideways\"}", "{\"note\":\"one\"}",
                "{\"note\":\"two\"}");

        Recorder refusing = new Recorder(Result.QUEUE_FULL);
        try (ControlConsumer c = new ControlConsumer(broker.bootstrapServers(), "control-b", "trainer-control", refusing)) {
            refusing.awaitCalls(3);
        }

        assertThat(refusing.requests()).extracting(BranchRequest::shape, BranchRequest::note).containsExactly(
                tuple("sideways", null), tuple(null, "one"), tuple(null, "two"));
    }
}
