package dev.cpt.trainer;

import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.format.TelemetryEvent;
import dev.cpt.core.kafka.Topics;
import dev.cpt.trainer.listen.Listeners;
import dev.cpt.trainer.listen.StepListener;
import dev.cpt.trainer.listen.TelemetryListener;
import dev.cpt.trainer.telemetry.TrainerMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TrainerGuardAndTelemetryTest {

    private static EmbeddedBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        broker = TestData.brokerWithTopics();
        TestData.produce(broker.bootstrapServers(), Topics.SEQUENCES, "arith", 0, 200);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private TrainerOptions options(String... extra) {
        List<String> sets = new ArrayList<>(List.of("cpt.store.dir=" + dir, "cpt.trainer.model.preset=tiny",
                "cpt.trainer.batch.size=4", "cpt.trainer.device=cpu", "cpt.trainer.warmup.steps=2"));
        sets.addAll(List.of(extra));
        return TrainerOptions.from(ConfigLoader.load(Optional.empty(), Map.of(), sets));
    }

    @Test
    void shouldSkipNonFiniteStepsAndRollBackToTheLastCheckpointAfterTooManyInARow() throws Exception {
        try (Trainer t = Trainer.open(options("cpt.trainer.guard.max.skips=3"), broker.bootstrapServers(), TrainerListeners.NONE)) {
            TrainerResumeTest.train(t, 4);
            t.checkpoint();
            float[] good = t.model().orElseThrow().values("wte");
            // poison one weight: every following loss is NaN
            t.model().orElseThrow().array("h0.mlp.in.weight").muli(Float.NaN);

            TrainerResumeTest.train(t, 6);
            assertThat(t.skippedSteps()).as("two poisoned steps skipped, not applied").isEqualTo(2);
            t.step(); // the third in a row: roll back

            assertThat(t.stepCount()).as("back at the checkpoint").isEqualTo(4);
            assertThat(t.model().orElseThrow().values("wte")).containsExactly(good);
            assertThat(t.model().orElseThrow().values("h0.mlp.in.weight")).doesNotContain(Float.NaN);
            assertThat(t.skippedSteps()).as("skips stay counted across the rollback").isEqualTo(3);
            TrainerResumeTest.train(t, 6);
            assertThat(t.skippedSteps()).as("training goes on from the restored state").isEqualTo(3);
        }
    }

    @Test
    void shouldPublishTelemetryWithLossLrThroughputAndPerGroupStatistics() {
        List<TelemetryEvent> events = new ArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TelemetryListener telemetry = new TelemetryListener(5, 1e11, new TrainerMeters(registry), events::add);
        try (Trainer t = Trainer.open(options("cpt.trainer.replay.ratio=0"), broker.bootstrapServers(),
                new Listeners(telemetry, List.<StepListener>of()))) {
            TrainerResumeTest.train(t, 10);
        }
        assertThat(events).hasSize(2);
        TelemetryEvent e = events.get(1);
        assertThat(e.step()).isEqualTo(10);
        assertThat(e.tokens()).isEqualTo(10L * 4 * 32);
        assertThat(e.tokensPerStream()).containsOnlyKeys("arith");
        assertThat(e.loss()).isFinite().isPositive();
        assertThat(e.lr()).isEqualTo(1e-3);
        assertThat(e.phase()).isEqualTo("stable");
        assertThat(e.tokensPerSecond()).isPositive();
        assertThat(e.mfu()).isBetween(0.0, 1.0);
        assertThat(e.stepMs()).containsOnlyKeys("data", "forward", "backward", "optimizer");
        assertThat(e.groups()).containsKeys("embeddings", "attn.qkv", "attn.out", "mlp.in", "mlp.out", "norms");
        e.groups().values().forEach(g -> {
            assertThat(g.weightNorm()).isPositive();
            assertThat(g.effectiveLr()).isCloseTo(1e-3 / (g.weightNorm() * g.weightNorm()), org.assertj.core.api.Assertions.withinPercentage(1e-6));
        });
        assertThat(registry.get("cpt.trainer.loss").gauge().value()).isEqualTo(e.loss());
        assertThat(registry.get("cpt.trainer.lr.effective").tag("group", "attn.qkv").gauge().value()).isPositive();
        assertThat(registry.get("cpt.trainer.tokens").tag("stream", "arith").counter().count()).isEqualTo(10 * 4 * 33);
    }

    @Test
    void shouldSendHeartbeatsWhileWaitingForDataAndWhileABranchDecays() {
        List<TelemetryEvent> events = new ArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TelemetryListener telemetry = new TelemetryListener(5, 1e11, new TrainerMeters(registry), events::add, 0);
        try (Trainer t = Trainer.open(options("cpt.trainer.replay.ratio=0", "cpt.branch.decay.steps=2"), broker.bootstrapServers(),
                new Listeners(telemetry, List.<StepListener>of()))) {
            TrainerResumeTest.train(t, 10);
            t.branchRequests().offer(t.branchDefaults(), "test");
            while (t.step() && t.stepCount() < 100) {
                // trains on until the 200 sequences of the topic are used up
            }
            assertThat(t.step()).as("no more data").isFalse();
        }
        assertThat(events).filteredOn(e -> e.phase().equals("branch")).as("heartbeats while the branch decayed")
                .isNotEmpty().allSatisfy(e -> assertThat(e.step()).isEqualTo(10));
        TelemetryEvent last = events.get(events.size() - 1);
        assertThat(last.waitingForData()).isTrue();
        assertThat(last.tokensPerSecond()).isZero();
        assertThat(last.step()).isEqualTo(50);
        assertThat(registry.get("cpt.trainer.waiting").gauge().value()).isEqualTo(1.0);
    }
}
