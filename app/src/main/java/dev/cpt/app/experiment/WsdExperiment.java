package dev.cpt.app.experiment;

import dev.cpt.app.ScratchDir;
import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.config.ConfigLoader;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import dev.cpt.core.kafka.Topics;
import dev.cpt.core.store.Manifest;
import dev.cpt.ingest.bench.CorpusException;
import dev.cpt.trainer.Trainer;
import dev.cpt.trainer.TrainerListeners;
import dev.cpt.trainer.TrainerOptions;
import dev.cpt.trainer.branch.BranchRequests;
import dev.cpt.trainer.branch.Brancher;
import dev.cpt.trainer.model.Autograd;
import dev.cpt.trainer.step.StepResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The WSD experiment on real text: one main run at a constant learning rate after warmup, with
 * branches forked off it that decay the learning rate over a short stretch of upcoming data; then,
 * optionally, a separate run with a cosine schedule to the last branch's step count on the same
 * data in the same order. Everything runs on a throw-away embedded broker and store.
 */
final class WsdExperiment {

    /** A run did not complete (a branch aborted, data stopped arriving, ...): the message says what. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    /** One published branch. */
    record Branch(String id, long forkStep, long decaySteps, long tokens, double mainAtFork, double loss, Double predicted,
                  double decaySeconds, double wallSeconds, double forkEvalSeconds) {
        double ratio() {
            return loss / mainAtFork;
        }

        boolean beatsMain() {
            return loss < mainAtFork;
        }
    }

    /** The main run with its branches and where its time went. */
    record MainRun(long steps, long tokens, long skipped, double stepSeconds, int evaluations, double evalSeconds,
                   List<Branch> branches) {
    }

    /** The cosine run. */
    record CosineRun(long steps, long tokens, double loss, Map<String, Double> losses, long skipped, double seconds) {
    }

    /** What the experiment measured. */
    record Result(WsdSettings settings, ExperimentCorpus train, ExperimentCorpus heldout, int evalSequencesPerStream,
                  Map<String, Integer> evalSetSizes, MainRun main, Optional<CosineRun> cosine) {
    }

    private static final long MAX_WAIT_NS = 120_000_000_000L;

    private final WsdSettings s;
    private final Consumer<String> progress;

    WsdExperiment(WsdSettings settings, Consumer<String> progress) {
        this.s = settings;
        this.progress = progress;
    }

    /** Reads both corpora; a problem with either is a {@link CorpusException} naming the option. */
    static ExperimentCorpus[] corpora(WsdSettings s) {
        ExperimentCorpus train = readCorpus("--corpus", s.corpus(), s.context() + 1, s.shuffle() ? s.seed() : null);
        ExperimentCorpus heldout = readCorpus("--heldout", s.heldout(), s.context() + 1, null);
        if (train.sequences().size() < s.sequencesNeeded()) {
            throw new CorpusException(String.format(Locale.ROOT,
                    "--corpus %s packs into %d sequences of %d tokens, but the run needs %d: %d main steps plus the last branch's"
                            + " %d decay steps, x --batch %d; lower --steps or --batch, or use a larger corpus",
                    s.corpus(), train.sequences().size(), s.context() + 1, s.sequencesNeeded(), s.forkStep(s.branches()),
                    s.decaySteps(s.branches()), s.batch()));
        }
        return new ExperimentCorpus[]{train, heldout};
    }

    private static ExperimentCorpus readCorpus(String option, Path file, int length, Long shuffleSeed) {
        try {
            return ExperimentCorpus.read(file, length, shuffleSeed);
        } catch (CorpusException e) {
            throw new CorpusException(option + ": " + e.getMessage(), e);
        }
    }

    Result run(ExperimentCorpus train, ExperimentCorpus heldout) {
        Autograd.disableOnThisThread();
        List<TokenSequence> evalSet = heldout.evenlySpaced(s.evalSequences());
        Map<String, Integer> evalSizes = new java.util.TreeMap<>();
        evalSet.forEach(t -> evalSizes.merge(t.stream(), 1, Integer::sum));
        try (ScratchDir scratch = ScratchDir.create("cpt-experiment-wsd-", "the experiment's stores");
             EmbeddedBroker broker = EmbeddedBroker.startTemporary()) {
            Path dir = scratch.path();
            String bootstrap = broker.bootstrapServers();
            long t0 = System.nanoTime();
            createTopics(bootstrap);
            List<TokenSequence> used = train.sequences().subList(0, (int) s.sequencesNeeded());
            produce(bootstrap, Topics.SEQUENCES, used);
            produce(bootstrap, Topics.HELDOUT, evalSet);
            progress.accept(String.format(Locale.ROOT, "data: %d training sequences of %d tokens (%d of %d the corpus packs into)"
                            + " and %d held-out ones on a temporary broker in %.1f s", used.size(), s.context() + 1, used.size(),
                    train.sequences().size(), evalSet.size(), (System.nanoTime() - t0) / 1e9));
            MainRun main = runMain(bootstrap, dir.resolve("main"), evalSizes.keySet());
            Optional<CosineRun> cosine = s.compareCosine()
                    ? Optional.of(runCosine(bootstrap, dir.resolve("cosine"), evalSizes.keySet())) : Optional.empty();
            return new Result(s, train, heldout, s.evalSequences(), evalSizes, main, cosine);
        }
    }

    /** Settings shared by both runs; {@code more} last, so they win. */
    private TrainerOptions options(Path store, String group, String... more) {
        List<String> sets = new ArrayList<>(List.of(
                "cpt.store.dir=" + store,
                "cpt.trainer.device=cpu",
                "cpt.trainer.model.preset=" + s.preset(),
                "cpt.trainer.seed=" + s.seed(),
                "cpt.trainer.batch.size=" + s.batch(),
                "cpt.trainer.threads=" + s.threads(),
                "cpt.trainer.lr.peak=" + s.lr(),
                "cpt.trainer.warmup.steps=" + s.warmup(),
                "cpt.trainer.replay.ratio=0",
                "cpt.trainer.replay.bytes=0",
                "cpt.trainer.eval.sequences=" + s.evalSequences(),
                "cpt.trainer.group.id=" + group,
                "cpt.branch.mode=wsd",
                "cpt.branch.data=upcoming",
                "cpt.branch.decay.steps=0",
                "cpt.branch.decay.fraction=" + s.decayFraction(),
                "cpt.branch.keep=" + Math.max(1, s.branches())));
        sets.addAll(List.of(more));
        return TrainerOptions.from(ConfigLoader.load(Optional.empty(), Map.of(), sets));
    }

    /** Collects what the trainer reports: main-step losses, published branches, aborted ones. */
    private static final class Collector implements TrainerListeners {
        final List<Manifest> published = new ArrayList<>();
        double lossSum;
        int lossCount;
        long tokens;
        boolean aborted;

        @Override
        public void stepped(Trainer trainer, StepResult result, double lr, long waitNs) {
            if (!result.skipped()) {
                lossSum += result.loss();
                lossCount++;
            }
            tokens += result.tokens();
        }

        @Override
        public void published(Trainer trainer, Manifest manifest, String path, String manifestSha256) {
            if (manifest.kind() == Manifest.Kind.DECAYED) {
                published.add(manifest);
            }
        }

        @Override
        public void branchStepped(Trainer trainer, Brancher.Status status) {
            aborted |= status == Brancher.Status.ABORTED;
        }

        /** Mean training loss since the last call, and reset. */
        double takeLoss() {
            double l = lossCount == 0 ? Double.NaN : lossSum / lossCount;
            lossSum = 0;
            lossCount = 0;
            return l;
        }
    }

    /** Wall time of one kind of work, and progress lines every {@code every} steps. */
    private final class Stepper {
        final String name;
        final Trainer trainer;
        final Collector collector;
        final long total;
        double seconds;
        private long windowNs;
        private long tokensAtWindow;

        Stepper(String name, Trainer trainer, Collector collector, long total) {
            this.name = name;
            this.trainer = trainer;
            this.collector = collector;
            this.total = total;
        }

        /** One main step (waiting for data at most {@link #MAX_WAIT_NS}); the time counts as training. */
        void step() {
            long waited = 0;
            while (true) {
                long t0 = System.nanoTime();
                boolean stepped = trainer.step();
                long ns = System.nanoTime() - t0;
                if (stepped) {
                    seconds += ns / 1e9;
                    windowNs += ns;
                    return;
                }
                waited += ns;
                if (waited > MAX_WAIT_NS) {
                    throw new Failure(name + " run: no training data arrived for " + MAX_WAIT_NS / 1_000_000_000L + " s at step "
                            + trainer.stepCount());
                }
            }
        }

        void report(String eval) {
            long tokens = collector.tokens - tokensAtWindow;
            tokensAtWindow = collector.tokens;
            double tps = windowNs == 0 ? 0 : tokens * 1e9 / windowNs;
            windowNs = 0;
            progress.accept(String.format(Locale.ROOT, "%-6s step %6d/%d  loss %.4f  lr %.2e  %6.0f tokens/s%s", name,
                    trainer.stepCount(), total, collector.takeLoss(), trainer.schedule().lr(Math.max(0, trainer.stepCount() - 1)),
                    tps, eval));
        }
    }

    private long progressEvery() {
        if (s.evalEvery() > 0) {
            return s.evalEvery();
        }
        return Math.max(1, s.steps() / 20);
    }

    private MainRun runMain(String bootstrap, Path store, Set<String> evalStreams) {
        Collector c = new Collector();
        List<Branch> branches = new ArrayList<>();
        int evaluations = 0;
        double evalSeconds = 0;
        progress.accept(String.format(Locale.ROOT, "main run: %d steps, warmup %d then constant lr %s; %d branches at steps %s,"
                        + " each decaying over %s of the steps since the previous fork", s.steps(), s.warmup(), s.lr(), s.branches(),
                forks(), s.decayFraction()));
        try (Trainer t = Trainer.open(options(store, "cpt-experiment-main", "cpt.trainer.schedule=wsd"), bootstrap, c)) {
            Stepper main = new Stepper("main", t, c, s.steps());
            for (int k = 1; k <= s.branches(); k++) {
                long fork = s.forkStep(k);
                while (t.stepCount() < fork) {
                    main.step();
                    long step = t.stepCount();
                    boolean eval = s.evalEvery() > 0 && step % s.evalEvery() == 0;
                    String evalText = "";
                    if (eval) {
                        long e0 = System.nanoTime();
                        evalText = String.format(Locale.ROOT, "  eval %.4f", Manifest.mean(t.evaluate()));
                        evalSeconds += (System.nanoTime() - e0) / 1e9;
                        evaluations++;
                    }
                    if (eval || step % progressEvery() == 0) {
                        main.report(evalText);
                    }
                }
                long e0 = System.nanoTime();
                Map<String, Double> atFork = t.evaluate(); // cached for this step: the fork reuses it
                double forkEval = (System.nanoTime() - e0) / 1e9;
                if (!atFork.keySet().containsAll(evalStreams)) {
                    throw new Failure("main run: at step " + fork + " the eval sets hold streams " + atFork.keySet() + ", not yet all of "
                            + evalStreams + " (the held-out data has not reached the trainer)");
                }
                branches.add(branch(t, c, k, fork, Manifest.mean(atFork), forkEval));
            }
            return new MainRun(t.stepCount(), t.tokens(), t.skippedSteps(), main.seconds, evaluations, evalSeconds, List.copyOf(branches));
        }
    }

    private String forks() {
        List<String> out = new ArrayList<>();
        for (int k = 1; k <= s.branches(); k++) {
            out.add(Long.toString(s.forkStep(k)));
        }
        return String.join(", ", out);
    }

    /** Asks for a branch at the current step and steps until it is published; the main run does not move meanwhile. */
    private Branch branch(Trainer t, Collector c, int k, long fork, double mainAtFork, double forkEvalSeconds) {
        BranchRequests.Outcome o = t.branchRequests().offer(t.branchDefaults(), "experiment");
        if (!o.accepted()) {
            throw new Failure("branch " + k + ": the trainer refused the request: " + o.message());
        }
        int before = c.published.size();
        long t0 = System.nanoTime();
        long waited = 0;
        while (c.published.size() == before) {
            long s0 = System.nanoTime();
            boolean stepped = t.step();
            if (c.aborted) {
                throw new Failure("branch " + k + " (fork at step " + fork + ") was aborted after non-finite steps (see the log)");
            }
            if (c.published.size() == before && t.activeBranch().isEmpty() && t.branchRequests().size() == 0) {
                throw new Failure("branch " + k + " (fork at step " + fork + ") ended without being published (see the log)");
            }
            if (!stepped) {
                waited += System.nanoTime() - s0;
                if (waited > MAX_WAIT_NS) {
                    throw new Failure("branch " + k + ": no upcoming data arrived for " + MAX_WAIT_NS / 1_000_000_000L + " s");
                }
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (t.stepCount() != fork) {
            throw new Failure("branch " + k + ": the main run moved from step " + fork + " to " + t.stepCount() + " during the branch");
        }
        Manifest m = c.published.get(c.published.size() - 1);
        double main = Manifest.mean(m.mainEvalLossAtFork());
        if (Math.abs(main - mainAtFork) > 1e-12) {
            throw new Failure("branch " + m.id() + ": its manifest's main loss at the fork " + main + " differs from the main run's "
                    + mainAtFork);
        }
        Branch b = new Branch(m.id(), m.parentMainStep(), m.decay().steps(), m.tokens(), main, m.meanEvalLoss(), m.predictedLoss(),
                m.decay().seconds(), wall, forkEvalSeconds);
        progress.accept(String.format(Locale.ROOT, "branch %s: forked at step %d, %d decay steps in %.1f s (%.1f s in all): eval %.4f,"
                        + " main at fork %.4f, ratio %.4f%s", b.id(), b.forkStep(), b.decaySteps(), b.decaySeconds(), wall, b.loss(),
                b.mainAtFork(), b.ratio(), b.predicted() == null ? "" : String.format(Locale.ROOT, ", predicted %.4f", b.predicted())));
        return b;
    }

    private CosineRun runCosine(String bootstrap, Path store, Set<String> evalStreams) {
        long total = s.lastBranchSteps();
        progress.accept(String.format(Locale.ROOT, "cosine run: %d steps (the last branch's fork step %d + %d decay steps), warmup %d"
                + " then cosine from %s to 0 at step %d", total, s.forkStep(s.branches()), s.decaySteps(s.branches()), s.warmup(),
                s.lr(), total));
        Collector c = new Collector();
        try (Trainer t = Trainer.open(options(store, "cpt-experiment-cosine", "cpt.trainer.schedule=wsdc",
                "cpt.trainer.schedule.cooldown.steps=" + (total - s.warmup()), "cpt.trainer.schedule.cooldown.shape=cosine",
                "cpt.trainer.schedule.floor=0"), bootstrap, c)) {
            Stepper run = new Stepper("cosine", t, c, total);
            while (t.stepCount() < total) {
                run.step();
                if (t.stepCount() % progressEvery() == 0) {
                    run.report("");
                }
            }
            Map<String, Double> losses = t.evaluate();
            if (!losses.keySet().containsAll(evalStreams)) {
                throw new Failure("cosine run: the eval sets hold streams " + losses.keySet() + ", not all of " + evalStreams);
            }
            double loss = Manifest.mean(losses);
            progress.accept(String.format(Locale.ROOT, "cosine run: %d steps in %.1f s, eval %.4f", t.stepCount(), run.seconds, loss));
            return new CosineRun(t.stepCount(), t.tokens(), loss, losses, t.skippedSteps(), run.seconds);
        }
    }

    private static void createTopics(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.SEQUENCES, 1, (short) 1), new NewTopic(Topics.HELDOUT, 1, (short) 1)))
                    .all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while creating the topics");
        } catch (ExecutionException e) {
            throw new Failure("cannot create the topics on the temporary broker: " + e.getCause());
        }
    }

    /** Sends {@code sequences} in order to the one partition of {@code topic}, keyed by stream, and waits for every ack. */
    private static void produce(String bootstrap, String topic, List<TokenSequence> sequences) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 1 << 18);
        try (KafkaProducer<String, TokenSequence> p = new KafkaProducer<>(props, new StringSerializer(), new TokenSequenceSerde())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(sequences.size());
            for (TokenSequence seq : sequences) {
                sent.add(p.send(new ProducerRecord<>(topic, 0, seq.stream(), seq)));
            }
            p.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while producing to " + topic);
        } catch (ExecutionException e) {
            throw new Failure("cannot produce to " + topic + " on the temporary broker: " + e.getCause());
        }
    }
}
