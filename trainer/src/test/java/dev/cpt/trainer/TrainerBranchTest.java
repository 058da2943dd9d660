package dev.cpt.trainer;

import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.kafka.Topics;
import dev.cpt.core.store.AliasFile;
import dev.cpt.core.store.AliasTable;
import dev.cpt.core.store.Checksums;
import dev.cpt.core.store.FileEntry;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import dev.cpt.trainer.branch.BranchRequests;
import dev.cpt.trainer.model.SafeTensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.cpt.trainer.TrainerResumeTest.train;
import static dev.cpt.trainer.TrainerResumeTest.weightsAndMoments;
import static org.assertj.core.api.Assertions.assertThat;

/** Decayed branches: the main run does not feel them (wsd) or continues from them (wsd-s); what they publish. */
class TrainerBranchTest {

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

    static TrainerOptions options(Path store, String... more) {
        List<String> sets = new ArrayList<>(List.of(
                "cpt.store.dir=" + store, "cpt.trainer.model.preset=tiny", "cpt.trainer.batch.size=4",
                "cpt.trainer.replay.ratio=0.25", "cpt.trainer.replay.bytes=65536", "cpt.trainer.warmup.steps=2",
                "cpt.trainer.eval.sequences=4", "cpt.trainer.device=cpu", "cpt.branch.decay.steps=3"));
        sets.addAll(List.of(more));
        return TrainerOptions.from(ConfigLoader.load(Optional.empty(), Map.of(), sets));
    }

    private static void ask(Trainer t) {
        BranchRequests.Outcome o = t.branchRequests().offer(t.branchDefaults(), "test");
        assertThat(o.accepted()).as(o.message()).isTrue();
    }

    /** Steps until the branch that is running (or about to fork) has been published. */
    private static void finishBranch(Trainer t, long mainStep) {
        for (int i = 0; i < 200 && (t.activeBranch().isPresent() || t.branchRequests().size() > 0 || i == 0); i++) {
            assertThat(t.step()).isTrue();
            assertThat(t.stepCount()).as("the main run is paused while the branch decays").isEqualTo(mainStep);
        }
        assertThat(t.activeBranch()).isEmpty();
    }

    private static List<String> differences(Map<String, float[]> a, Map<String, float[]> b) {
        assertThat(a.keySet()).isEqualTo(b.keySet());
        List<String> out = new ArrayList<>();
        a.forEach((k, v) -> {
            if (!java.util.Arrays.equals(v, b.get(k))) {
                out.add(k);
            }
        });
        return out;
    }

    @Test
    void shouldLeaveTheMainRunBitIdenticalAcrossBranchesOnUpcomingAndReplayData() throws Exception {
        Map<String, float[]> straight;
        Map<String, Long> straightPositions;
        Map<String, Long> straightTokens;
        try (Trainer a = Trainer.open(options(dir.resolve("a")), broker.bootstrapServers(), TrainerListeners.NONE)) {
            train(a, 14);
            straight = weightsAndMoments(a);
            straightPositions = a.positions();
            straightTokens = a.tokensPerStream();
        }
        try (Trainer b = Trainer.open(options(dir.resolve("b")), broker.bootstrapServers(), TrainerListeners.NONE)) {
            train(b, 6);
            ask(b);
            finishBranch(b, 6);
            train(b, 10);
            b.branchRequests().offer(b.branchDefaults().with(new dev.cpt.core.format.BranchRequest(null, 2L, null, null, "replay", null)),
                    "test");
            finishBranch(b, 10);
            train(b, 14);
            assertThat(differences(weightsAndMoments(b), straight)).as("main-run tensors that differ").isEmpty();
            assertThat(b.positions()).isEqualTo(straightPositions);
            assertThat(b.tokensPerStream()).isEqualTo(straightTokens);
        }
        StoreLayout store = new StoreLayout(dir.resolve("b"));
        assertThat(store.branches().toFile().list()).containsExactlyInAnyOrder("b000001-f6", "b000002-f10");
        Manifest first = Manifest.read(store.branches().resolve("b000001-f6"));
        assertThat(first.decay().data()).isEqualTo("upcoming");
        assertThat(first.decay().steps()).isEqualTo(3);
        assertThat(first.step()).isEqualTo(9);
        assertThat(first.parentMainStep()).isEqualTo(6);
        Manifest second = Manifest.read(store.branches().resolve("b000002-f10"));
        assertThat(second.decay().data()).isEqualTo("replay");
        assertThat(second.decay().steps()).isEqualTo(2);
        assertThat(AliasFile.read(store.root()).get(AliasTable.LATEST_DECAYED)).contains("b000002-f10");
    }

    @Test
    void shouldPublishAnEvaluatedBranchWithAManifestWhoseChecksumsMatchItsFiles() throws Exception {
        Path root = dir.resolve("p");
        try (Trainer t = Trainer.open(options(root), broker.bootstrapServers(), TrainerListeners.NONE)) {
            train(t, 8);
            ask(t);
            finishBranch(t, 8);
        }
        Path branch = new StoreLayout(root).branches().resolve("b000001-f8");
        Manifest m = Manifest.read(branch);
        assertThat(m.kind()).isEqualTo(Manifest.Kind.DECAYED);
        assertThat(m.mode()).isEqualTo("wsd");
        assertThat(m.tokenizer()).isEqualTo("byte-v1");
        assertThat(m.vocabSize()).isEqualTo(259);
        assertThat(m.evalLoss()).containsOnlyKeys("arith", "words").allSatisfy((k, v) -> assertThat(v).isPositive().isFinite());
        assertThat(m.mainEvalLossAtFork()).containsOnlyKeys("arith", "words");
        assertThat(m.decay().shape()).isEqualTo("one-minus-sqrt");
        assertThat(m.decay().lrAtFork()).isPositive();
        assertThat(m.decay().tokens()).isEqualTo(3L * 4 * (TestData.LENGTH - 1));
        assertThat(m.tokens()).isEqualTo(11L * 4 * (TestData.LENGTH - 1));
        assertThat(m.model()).containsEntry("vocabSize", 259L);
        assertThat(m.predictedLoss()).as("no branch finished before this one: nothing to fit the annealing term on").isNull();
        assertThat(m.predictionNote()).startsWith("no prediction");
        assertThat(m.files()).extracting(FileEntry::name).containsExactly(StoreLayout.MODEL);
        for (FileEntry f : m.files()) {
            assertThat(Checksums.sha256(branch.resolve(f.name()))).isEqualTo(f.sha256());
            assertThat(Files.size(branch.resolve(f.name()))).isEqualTo(f.size());
        }
        try (SafeTensors.Reader r = SafeTensors.open(branch.resolve(StoreLayout.MODEL))) {
            assertThat(r.metadata()).containsEntry("branch", "b000001-f8").containsEntry("step", "11")
                    .containsEntry("tokens", Long.toString(m.tokens())).containsEntry("format", "cpt.gpt");
        }
        try (Stream<Path> all = Files.list(new StoreLayout(root).branches())) {
            assertThat(all.map(p -> p.getFileName().toString())).containsExactly("b000001-f8");
        }
    }

    @Test
    void shouldContinueTheMainRunFromTheDecayedWeightsInWsdS() throws Exception {
        Path root = dir.resolve("s");
        try (Trainer t = Trainer.open(options(root, "cpt.branch.mode=wsd-s", "cpt.branch.rewarm.steps=4"), broker.bootstrapServers(),
                TrainerListeners.NONE)) {
            train(t, 6);
            Map<String, Long> before = t.tokensPerStream();
            ask(t);
            assertThat(t.step()).isTrue(); // forks and takes the first decay step
            assertThat(t.activeBranch()).contains("b000001-f6");
            while (t.activeBranch().isPresent()) {
                assertThat(t.step()).isTrue();
            }
            assertThat(t.stepCount()).as("the decay steps are part of the main run's history").isEqualTo(9);
            long fresh = t.tokensPerStream().values().stream().mapToLong(Long::longValue).sum()
                    - before.values().stream().mapToLong(Long::longValue).sum();
            assertThat(fresh).as("the main run took over the branch's data position").isEqualTo(3L * 4 * TestData.LENGTH);
            Path published = new StoreLayout(root).branches().resolve("b000001-f6").resolve(StoreLayout.MODEL);
            var model = t.model().orElseThrow();
            try (SafeTensors.Reader r = SafeTensors.open(published)) {
                for (String name : model.parameterNames()) {
                    assertThat(model.values(name)).as(name).isEqualTo(r.readFloats(name));
                }
            }
            assertThat(t.schedule().phase(9)).isEqualTo("rewarm");
            assertThat(t.schedule().lr(9)).isLessThan(t.schedule().lr(13));
            assertThat(t.schedule().lr(13)).isEqualTo(t.schedule().lr(100));
            train(t, 12);
            t.checkpoint();
        }
        try (Trainer again = Trainer.open(options(root, "cpt.branch.mode=wsd-s", "cpt.branch.rewarm.steps=4"),
                broker.bootstrapServers(), TrainerListeners.NONE)) {
            assertThat(again.stepCount()).isEqualTo(12);
            assertThat(again.schedule().phase(11)).as("the re-warm survives a restart").isEqualTo("rewarm");
        }
    }

    @Test
    void shouldForkByItselfEveryConfiguredNumberOfTokens() {
        Path root = dir.resolve("t");
        long perStep = 3L * TestData.LENGTH; // 4 sequences a step, 1 of them replayed once the buffer holds some
        try (Trainer t = Trainer.open(options(root, "cpt.branch.every.tokens=" + 5 * perStep, "cpt.branch.decay.steps=1"),
                broker.bootstrapServers(), TrainerListeners.NONE)) {
            for (int i = 0; i < 30; i++) {
                assertThat(t.step()).isTrue();
            }
        }
        assertThat(new StoreLayout(root).branches().toFile().list()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldRefuseRequestsBeyondTheQueueCapacity() {
        try (Trainer t = Trainer.open(options(dir.resolve("q"), "cpt.branch.queue.capacity=2"), broker.bootstrapServers(),
                TrainerListeners.NONE)) {
            assertThat(t.branchRequests().offer(t.branchDefaults(), "one").accepted()).isTrue();
            assertThat(t.branchRequests().offer(t.branchDefaults(), "two").accepted()).isTrue();
            BranchRequests.Outcome third = t.branchRequests().offer(t.branchDefaults(), "three");
            assertThat(third.result()).isEqualTo(BranchRequests.Result.QUEUE_FULL);
            assertThat(third.message()).contains("cpt.branch.queue.capacity=2");
            assertThat(t.branchRequests().refused()).isEqualTo(1);
        }
    }

    @Test
    void shouldPredictABranchsLossOnceAnEarlierBranchShowedTheEffectOfAnnealing() throws Exception {
        Path root = dir.resolve("law");
        try (Trainer t = Trainer.open(options(root), broker.bootstrapServers(), TrainerListeners.NONE)) {
            for (long s = 4; s <= 10; s += 2) {
                train(t, s);
                t.evaluate(); // every main-run evaluation is a point of the loss history
            }
            ask(t);
            finishBranch(t, 10);
            train(t, 14);
            t.evaluate();
            ask(t);
            finishBranch(t, 14);
        }
        StoreLayout store = new StoreLayout(root);
        assertThat(Manifest.read(store.branches().resolve("b000001-f10")).predictedLoss()).isNull();
        Manifest second = Manifest.read(store.branches().resolve("b000002-f14"));
        assertThat(second.predictionNote()).startsWith("loss law fitted on");
        assertThat(second.predictedLoss()).isNotNull().isPositive()
                .isCloseTo(second.meanEvalLoss(), org.assertj.core.data.Percentage.withPercentage(50));
    }

    @Test
    void shouldNotTriggerDuringWarmupButHonourARequest() {
        Path root = dir.resolve("w");
        try (Trainer t = Trainer.open(options(root, "cpt.trainer.warmup.steps=8", "cpt.branch.every.tokens=1",
                "cpt.branch.decay.steps=1"), broker.bootstrapServers(), TrainerListeners.NONE)) {
            train(t, 6);
            assertThat(new StoreLayout(root).branches().toFile().list()).as("no trigger while warming up").isNullOrEmpty();
            ask(t);
            finishBranch(t, 6);
            assertThat(new StoreLayout(root).branches().toFile().list()).containsExactly("b000001-f6");
            train(t, 9);
            for (int i = 0; i < 3; i++) {
                assertThat(t.step()).isTrue();
            }
        }
        assertThat(new StoreLayout(root).branches().toFile().list()).contains("b000002-f8");
    }

    @Test
    void shouldForkSeveralBranchesWithDifferentDataMixesFromOneForkPoint() throws Exception {
        Path root = dir.resolve("mix");
        try (Trainer t = Trainer.open(options(root), broker.bootstrapServers(), TrainerListeners.NONE)) {
            train(t, 50); // the first 120 sequences are all arith: by now the reservoir holds both streams
            for (String mix : List.of("mix:arith:1", "mix:words:1", "mix:arith:1,words:3")) {
                BranchRequests.Outcome o = t.branchRequests().offer(t.branchDefaults()
                        .with(new dev.cpt.core.format.BranchRequest(null, 2L, null, null, mix, null)), "stable-then-decay");
                assertThat(o.accepted()).as(o.message()).isTrue();
            }
            finishBranch(t, 50);
            while (t.branchRequests().size() > 0 || t.activeBranch().isPresent()) {
                assertThat(t.step()).isTrue();
                assertThat(t.stepCount()).isEqualTo(50);
            }
        }
        StoreLayout store = new StoreLayout(root);
        assertThat(store.branches().toFile().list()).containsExactlyInAnyOrder("b000001-f50", "b000002-f50", "b000003-f50");
        assertThat(Manifest.read(store.branches().resolve("b000001-f50")).decay().data()).isEqualTo("mix:arith:1");
        assertThat(Manifest.read(store.branches().resolve("b000002-f50")).decay().data()).isEqualTo("mix:words:1");
        assertThat(Manifest.read(store.branches().resolve("b000003-f50")).decay().data()).isEqualTo("mix:arith:1,words:3");
        Manifest arithOnly = Manifest.read(store.branches().resolve("b000001-f50"));
        Manifest fork = Manifest.read(store.branches().resolve("b000002-f50"));
        assertThat(arithOnly.mainEvalLossAtFork()).as("one fork point: the same main run behind each").isEqualTo(fork.mainEvalLossAtFork());
        assertThat(arithOnly.tokensPerStream().get("arith") - fork.tokensPerStream().get("arith"))
                .as("the arith-only decay trained on arith, the words-only one did not").isEqualTo(2L * 4 * TestData.LENGTH);
    }
}
