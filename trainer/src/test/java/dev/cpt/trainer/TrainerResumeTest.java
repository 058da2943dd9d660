package dev.cpt.trainer;

import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.kafka.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The main run resumed from a checkpoint is the same run: bit-identical weights, optimizer state and data. */
class TrainerResumeTest {

    private static EmbeddedBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        broker = TestData.brokerWithTwoStreams();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    TrainerOptions options(Path store) {
        return TrainerOptions.from(ConfigLoader.load(Optional.empty(), Map.of(), List.of(
                "cpt.store.dir=" + store, "cpt.trainer.model.preset=tiny", "cpt.trainer.batch.size=4",
                "cpt.trainer.replay.ratio=0.25", "cpt.trainer.replay.bytes=65536", "cpt.trainer.warmup.steps=5",
                "cpt.trainer.eval.sequences=4", "cpt.trainer.device=cpu")));
    }

    static void train(Trainer t, long until) {
        while (t.stepCount() < until) {
            assertThat(t.step()).as("data available at step %d", t.stepCount()).isTrue();
        }
    }

    static Map<String, float[]> weightsAndMoments(Trainer t) {
        Map<String, float[]> out = new LinkedHashMap<>();
        var model = t.model().orElseThrow();
        var adam = t.optimizer().orElseThrow();
        for (String name : model.parameterNames()) {
            out.put(name, model.values(name));
            out.put("m/" + name, adam.firstMoment(name));
            out.put("v/" + name, adam.secondMoment(name));
        }
        return out;
    }

    @Test
    void shouldContinueBitIdenticallyAfterResumingFromACheckpoint() throws Exception {
        Map<String, float[]> straight;
        Map<String, Long> straightTokens;
        try (Trainer a = Trainer.open(options(dir.resolve("a")), broker.bootstrapServers(), TrainerListeners.NONE)) {
            train(a, 12);
            straight = weightsAndMoments(a);
            straightTokens = a.tokensPerStream();
        }

        try (Trainer b = Trainer.open(options(dir.resolve("b")), broker.bootstrapServers(), TrainerListeners.NONE)) {
            train(b, 5);
            TrainerState saved = TrainerState.read(b.checkpoint());
            assertThat(saved.skips()).as("the checkpoint is inside an arith block: resuming there must be exact")
                    .containsOnlyKeys(Topics.SEQUENCES + ":0");
            train(b, 7); // steps after the checkpoint that the crash below throws away
        }
        Map<String, float[]> resumed;
        try (Trainer c = Trainer.open(options(dir.resolve("b")), broker.bootstrapServers(), TrainerListeners.NONE)) {
            assertThat(c.stepCount()).isEqualTo(5);
            train(c, 12);
            resumed = weightsAndMoments(c);
            assertThat(c.tokensPerStream()).as("the same data was consumed").isEqualTo(straightTokens);
        }
        assertThat(resumed.keySet()).isEqualTo(straight.keySet());
        List<String> different = new ArrayList<>();
        straight.forEach((k, v) -> {
            if (!java.util.Arrays.equals(v, resumed.get(k))) {
                different.add(k);
            }
        });
        assertThat(different).as("tensors that differ after resume").isEmpty();
    }

    @Test
    void shouldLearnAndEvaluateOnTheFrozenHeldOutSet() {
        try (Trainer t = Trainer.open(options(dir.resolve("c")), broker.bootstrapServers(), TrainerListeners.NONE)) {
            // the held-out set fills as the trainer polls the held-out topic between steps
            while (!t.evaluate().containsKey("arith")) {
                assertThat(t.stepCount()).as("held-out set filled within 30 steps").isLessThan(30);
                train(t, t.stepCount() + 1);
            }
            double before = t.evaluate().get("arith");
            train(t, t.stepCount() + 50);
            double after = t.evaluate().get("arith");
            assertThat(after).as("held-out loss of a learnable stream falls").isLessThan(before * 0.8);
        }
    }
}
