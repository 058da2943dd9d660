package dev.cpt.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.cpt.core.config.BranchSettings;
import dev.cpt.core.config.TrainerSettings;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.store.AliasTable;
import dev.cpt.core.store.Checksums;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import dev.cpt.trainer.branch.BranchRequests;
import dev.cpt.trainer.branch.BranchSource;
import dev.cpt.trainer.branch.BranchSpec;
import dev.cpt.trainer.branch.Brancher;
import dev.cpt.trainer.branch.ForkPoint;
import dev.cpt.trainer.checkpoint.CheckpointStore;
import dev.cpt.trainer.checkpoint.Publisher;
import dev.cpt.trainer.eval.Evaluator;
import dev.cpt.trainer.predict.LossTracker;
import org.apache.kafka.common.TopicPartition;
import dev.cpt.trainer.data.FeedPosition;
import dev.cpt.trainer.data.SequenceFeed;
import dev.cpt.trainer.eval.EvalSets;
import dev.cpt.trainer.model.Gpt;
import dev.cpt.trainer.model.GptConfig;
import dev.cpt.trainer.optim.AdamW;
import dev.cpt.trainer.replay.Mixer;
import dev.cpt.trainer.replay.ReplayBuffer;
import dev.cpt.trainer.schedule.Schedule;
import dev.cpt.trainer.step.StepResult;
import dev.cpt.trainer.step.TrainStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The main run: one model trained forever on {@code cpt.sequences}. {@link #step()} is the whole
 * loop body, top to bottom: fill a batch (fresh + replay), take one optimizer step at the
 * schedule's learning rate, guard against non-finite steps, then let the listeners (telemetry,
 * eval, checkpoint) act when their pure {@code shouldRun(step)} says so.
 *
 * <p>Single-threaded by design: DJL allows one gradient collector per process, and every part of
 * the state (positions, replay, RNG) advances with the step, which is what makes resume exact.
 * That is also why this class is longer than most: every piece of state a checkpoint must hold,
 * and every place it changes (step, rollback, branch fork and wsd-s adoption), is in one file.
 */
public final class Trainer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final TrainerOptions options;
    private final String bootstrap;
    private final CheckpointStore store;
    private final Publisher publisher;
    private final TrainerListeners listeners;
    private final Device device;

    private SequenceFeed feed;
    private SequenceFeed heldout;
    private ReplayBuffer replay;
    private EvalSets evalSets;
    private Mixer mixer;
    private Gpt model;
    private AdamW optimizer;
    private TrainStep trainStep;
    private String tokenizer;
    private Schedule schedule;
    private final List<TrainerState.Rewarm> rewarms = new ArrayList<>();
    private LossTracker lossLaw = LossTracker.start();
    private TrainerState.BranchLedger ledger = TrainerState.BranchLedger.START;
    private final long openedMs = System.currentTimeMillis();
    private final Brancher brancher;
    private final Map<String, Long> tokensPerStream = new TreeMap<>();
    private final List<TokenSequence> pending = new ArrayList<>();
    private long step;
    private long tokens;
    private long skipped;
    private int skippedInARow;
    private Map<String, Double> lastEval;
    private long lastEvalStep = -1;

    private Trainer(TrainerOptions options, String bootstrap, TrainerListeners listeners) {
        this.options = options;
        this.bootstrap = bootstrap;
        this.listeners = listeners;
        this.store = new CheckpointStore(options.store(), options.checkpointKeep());
        this.device = device(options.device());
        TrainerOptions.Branching b = options.branching();
        this.publisher = new Publisher(options.store(), b.keep());
        this.brancher = new Brancher(b.defaults(), b.triggers(), b.queueCapacity(), b.mode(), publisher,
                () -> newTrainStep(model.config()), options.batchSize(), options.guardMaxSkips(), options.seed());
        if (options.threads() > 0) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(options.threads());
        }
    }

    /** Opens the trainer on the newest complete checkpoint, or fresh when there is none. */
    public static Trainer open(TrainerOptions options, String bootstrap, TrainerListeners listeners) {
        Trainer t = new Trainer(options, bootstrap, listeners);
        t.store.removeIncomplete();
        Optional<Path> latest = t.store.latest();
        try {
            if (latest.isPresent()) {
                t.restore(latest.get());
            } else {
                t.startFresh();
            }
        } catch (IOException e) {
            t.close();
            throw new UncheckedIOException("cannot open the trainer on " + options.store() + ": " + e.getMessage(), e);
        }
        listeners.opened(t);
        return t;
    }

    private static Device device(TrainerSettings.Device wanted) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (wanted) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new dev.cpt.core.config.ConfigException("cpt.trainer.device=gpu but the PyTorch engine sees no GPU"
                            + " (see README: a CUDA libtorch must be provided with PYTORCH_LIBRARY_PATH and PYTORCH_FLAVOR)");
                }
                yield Device.gpu();
            }
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    private void startFresh() throws IOException {
        schedule = options.schedule();
        mixer = Mixer.of(options.replayRatio());
        evalSets = new EvalSets(options.evalSequences());
        replay = ReplayBuffer.create(workDir(), options.replayBytes(), options.seed());
        feed = new SequenceFeed(bootstrap, options.topics().sequences(), options.groupId(), Map.of());
        heldout = new SequenceFeed(bootstrap, options.topics().heldout(), options.groupId() + "-heldout", Map.of());
        log.info("trainer starting fresh on {} (no checkpoint in {}); schedule {}", device, store.mainDir(), schedule);
    }

    private Path workDir() {
        return options.store().resolve("work").resolve("replay");
    }

    /** Loads every part of the state from a complete checkpoint (at start, and when the guard rolls back). */
    private void restore(Path checkpoint) throws IOException {
        TrainerState s = TrainerState.read(checkpoint);
        if (!s.configFingerprint().equals(options.fingerprint())) {
            log.warn("resuming {} with changed training settings (fingerprint {} -> {})", checkpoint.getFileName(),
                    s.configFingerprint(), options.fingerprint());
        }
        closeParts();
        lastEval = null; // a rollback may return to a step number already evaluated, with other weights
        createModel(GptConfig.fromMap(s.model()));
        model.load(checkpoint.resolve("model.safetensors"));
        optimizer.load(checkpoint.resolve("optimizer.safetensors"));
        tokenizer = s.tokenizer();
        step = s.step();
        tokens = s.tokens();
        skipped = Math.max(skipped, s.skippedSteps()); // a rollback does not forget the steps it skipped
        skippedInARow = 0;
        tokensPerStream.clear();
        tokensPerStream.putAll(s.tokensPerStream());
        rewarms.clear();
        rewarms.addAll(s.rewarms());
        schedule = options.schedule();
        for (TrainerState.Rewarm r : rewarms) {
            schedule = schedule.withRewarm(r.at(), r.steps(), r.from());
        }
        ledger = s.branches();
        lossLaw = new LossTracker(s.lossLaw().integrals(), s.lossLaw().observations(), s.lossLaw().streams());
        mixer = new Mixer(options.replayRatio(), s.mixerSlots());
        evalSets = EvalSets.load(checkpoint, options.evalSequences());
        replay = ReplayBuffer.restore(checkpoint.resolve("replay"), workDir());
        pending.clear();
        feed = new SequenceFeed(bootstrap, options.topics().sequences(), options.groupId(), s.feedPositions());
        heldout = new SequenceFeed(bootstrap, options.topics().heldout(), options.groupId() + "-heldout", s.heldoutFeedPositions());
        log.info("trainer resumed from checkpoint {} at step {} ({} tokens) on {}", checkpoint.getFileName(), step, tokens, device);
    }

    private void createModel(GptConfig config) {
        trainStep = newTrainStep(config);
        model = trainStep.model();
        optimizer = trainStep.optimizer();
    }

    private TrainStep newTrainStep(GptConfig config) {
        Gpt m = new Gpt(config, device);
        return new TrainStep(m, new AdamW(m, AdamW.Settings.defaults().withWeightDecay(options.weightDecay())
                .withMaxGradNorm(options.gradClip() == 0 ? Double.POSITIVE_INFINITY : options.gradClip())));
    }

    /**
     * One iteration of the loop. Returns false when no full batch of committed data arrived within
     * the poll time (the trainer is waiting; nothing changed).
     */
    public boolean step() {
        absorbHeldout();
        if (brancher.active() || (model != null && forkIfDue())) {
            return stepBranch();
        }
        Mixer.Split split = mixer.split(options.batchSize(), replay.canSample(options.replayWeights()));
        long t0 = System.nanoTime();
        pending.addAll(feed.take(split.fresh() - pending.size(), POLL));
        if (pending.size() < split.fresh()) {
            listeners.waiting(this, true);
            return false;
        }
        listeners.waiting(this, false);
        List<TokenSequence> batch = new ArrayList<>(pending);
        pending.clear();
        ensureModel(batch.get(0));
        batch.addAll(replay.sample(split.replay(), options.replayWeights()));
        mixer = split.next();
        int[][] rows = new int[batch.size()][];
        for (int i = 0; i < rows.length; i++) {
            TokenSequence s = batch.get(i);
            checkCompatible(s);
            rows[i] = s.tokens();
            if (i < split.fresh()) {
                noteFresh(s);
                replay.offer(s);
            }
        }
        long waitNs = System.nanoTime() - t0;
        double lr = schedule.lr(step);
        StepResult r = trainStep.step(rows, lr, listeners.wantsStats(step + 1));
        if (!schedule.phase(step).equals("warmup")) { // the loss law counts from the end of warmup
            lossLaw.step(lr);
        }
        step++;
        tokens += r.tokens();
        guard(r);
        listeners.stepped(this, r, lr, waitNs);
        return true;
    }

    /** Trains until {@code stop} says so; each iteration either steps or waits for data. */
    public void run(BooleanSupplier stop) {
        while (!stop.getAsBoolean()) {
            step();
        }
    }

    private void absorbHeldout() {
        for (TokenSequence s : heldout.take(1000, Duration.ZERO)) {
            evalSets.offer(s);
        }
    }

    private void ensureModel(TokenSequence first) {
        if (model != null) {
            return;
        }
        GptConfig config = GptConfig.preset(options.preset(), first.vocabSize(), first.length() - 1).withSeed(options.seed());
        createModel(config);
        tokenizer = first.tokenizer();
        log.info("model {} ({} parameters) for tokenizer {} with vocabulary {} and context {}", options.preset(),
                config.parameterCount(), tokenizer, first.vocabSize(), first.length() - 1);
    }

    private void checkCompatible(TokenSequence s) {
        GptConfig c = model.config();
        if (!s.tokenizer().equals(tokenizer) || s.vocabSize() != c.vocabSize() || s.length() != c.context() + 1) {
            throw new IllegalStateException("sequence " + s.sequence() + " of stream " + s.stream() + " was made by tokenizer "
                    + s.tokenizer() + " (vocabulary " + s.vocabSize() + ", " + s.length() + " tokens) but the model is trained on "
                    + tokenizer + " (vocabulary " + c.vocabSize() + ", " + (c.context() + 1) + " tokens): the data and the"
                    + " checkpoint do not belong together; start with an empty cpt.store.dir or fix the ingest settings");
        }
    }

    private void noteFresh(TokenSequence s) {
        if (!tokensPerStream.containsKey(s.stream()) && !tokensPerStream.isEmpty() && options.rewarmSteps() > 0) {
            TrainerState.Rewarm r = new TrainerState.Rewarm(step, options.rewarmSteps(), schedule.min());
            rewarms.add(r);
            schedule = schedule.withRewarm(r.at(), r.steps(), r.from());
            log.info("new stream {} at step {}: re-warming over {} steps", s.stream(), step, options.rewarmSteps());
        }
        tokensPerStream.merge(s.stream(), (long) s.length(), Long::sum);
    }

    private void guard(StepResult r) {
        if (!r.skipped()) {
            skippedInARow = 0;
            return;
        }
        skipped++;
        skippedInARow++;
        log.warn("step {} skipped: {} (loss {}, grad norm {}); {} in a row", step, r.skipReason(), r.loss(), r.gradNorm(), skippedInARow);
        if (skippedInARow >= options.guardMaxSkips()) {
            Optional<Path> last = store.latest();
            if (last.isEmpty()) {
                throw new IllegalStateException(skippedInARow + " non-finite steps in a row and no checkpoint to roll back to");
            }
            log.error("!!! {} non-finite steps in a row (cpt.trainer.guard.max.skips): ROLLING BACK to checkpoint {} !!!",
                    skippedInARow, last.get().getFileName());
            try {
                restore(last.get());
            } catch (IOException e) {
                throw new UncheckedIOException("rollback to " + last.get() + " failed", e);
            }
        }
    }

    /** Forks a branch when a request waits or a trigger is due; true when one was forked. */
    private boolean forkIfDue() {
        long fresh = freshTokens();
        long sinceMs = System.currentTimeMillis() - (ledger.lastMs() > 0 ? ledger.lastMs() : openedMs);
        Optional<BranchRequests.Pending> due = brancher.due(fresh - ledger.lastFreshTokens(), sinceMs,
                schedule.phase(step).equals("warmup"));
        if (due.isEmpty()) {
            return false;
        }
        Map<TopicPartition, FeedPosition> positions = feed.positions();
        List<TokenSequence> notYetTrained = List.copyOf(pending);
        ForkPoint at = new ForkPoint(step, tokens, Map.copyOf(tokensPerStream), schedule, trainStep, replay, options.replayWeights(),
                evalSets.snapshot(), evaluate(), tokenizer, modelConfig(), lossLaw.integrals(), lossLaw.observations(),
                () -> new BranchSource.Upcoming(new SequenceFeed(bootstrap, options.topics().sequences(), options.groupId() + "-branch",
                        positions), notYetTrained));
        boolean forked = brancher.fork(at, due.get(), step - ledger.lastStep());
        // a refused or forked branch both restart the triggers' count, so a refusal does not repeat every step
        ledger = new TrainerState.BranchLedger(step, fresh, System.currentTimeMillis());
        return forked;
    }

    private long freshTokens() {
        return tokensPerStream.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One step of the active branch instead of a main step; at its end, wsd-s continues from it. */
    private boolean stepBranch() {
        Brancher.Status status;
        try {
            status = brancher.step();
        } catch (IOException e) {
            log.error("publishing a branch failed; the main run goes on", e);
            brancher.abandon();
            return true;
        }
        listeners.branchStepped(this, status);
        if (status == Brancher.Status.FINISHED) {
            Brancher.Finished f = brancher.takeFinished().orElseThrow();
            Manifest m = f.published().manifest();
            lossLaw.observe(f.integrals(), m.evalLoss());
            listeners.published(this, m, StoreLayout.BRANCHES + "/" + m.id(), f.published().manifestSha256());
            if (options.branching().mode() == BranchSettings.Mode.WSD_S) {
                adopt(f);
            } else {
                // wsd: the main run reads on with its own consumer; the branch's is done
                f.upcoming().ifPresent(BranchSource.Upcoming::close);
            }
        }
        return status != Brancher.Status.WAITING;
    }

    /** wsd-s: the main run continues from the branch's weights, optimizer state and data position, then re-warms. */
    private void adopt(Brancher.Finished f) {
        f.model().copyInto(trainStep);
        if (f.upcoming().isPresent()) {
            BranchSource.Upcoming u = f.upcoming().get();
            Map<TopicPartition, FeedPosition> next = u.positions();
            pending.clear();
            pending.addAll(u.leftover());
            u.close();
            feed.close();
            feed = new SequenceFeed(bootstrap, options.topics().sequences(), options.groupId(), next);
            f.freshTokensPerStream().forEach((k, v) -> tokensPerStream.merge(k, v, Long::sum));
        }
        step += f.steps();
        tokens += f.tokens();
        lossLaw.adopt(f.integrals());
        long rewarm = options.branching().rewarmSteps();
        if (rewarm > 0 && f.finalLr() < schedule.lr(step + rewarm)) {
            TrainerState.Rewarm r = new TrainerState.Rewarm(step, rewarm, f.finalLr());
            rewarms.add(r);
            schedule = schedule.withRewarm(r.at(), r.steps(), r.from());
        }
        ledger = new TrainerState.BranchLedger(step, freshTokens(), System.currentTimeMillis());
        lastEval = null;
        log.info("wsd-s: the main run continues from branch {} at step {}", f.published().manifest().id(), step);
    }

    /** Where branch requests go (any thread). */
    public BranchRequests branchRequests() {
        return brancher.requests();
    }

    /** The defaults a branch request is completed with. */
    public BranchSpec branchDefaults() {
        return brancher.defaults();
    }

    /** The id of the branch running now, if any. */
    public Optional<String> activeBranch() {
        return brancher.activeId();
    }

    /** Writes a complete checkpoint of the current state, then commits the positions for lag tools. */
    public Path checkpoint() throws IOException {
        if (model == null) {
            throw new IllegalStateException("nothing to checkpoint before the first step");
        }
        Map<TopicPartition, FeedPosition> positions = feed.positions();
        Map<TopicPartition, FeedPosition> heldoutPositions = heldout.positions();
        TrainerState state = new TrainerState(step, tokens, tokensPerStream, TrainerState.offsets(positions),
                TrainerState.skipsOf(positions), TrainerState.offsets(heldoutPositions), TrainerState.skipsOf(heldoutPositions),
                mixer.slots(), modelConfig(), tokenizer, rewarms, options.fingerprint(), skipped, schedule.toString(), ledger,
                new TrainerState.LossHistory(lossLaw.integrals(), lossLaw.observations(), lossLaw.streams()));
        Map<String, Double> eval = evaluate(); // every checkpoint carries its held-out losses
        Manifest[] manifest = new Manifest[1];
        Path dir = store.write(step, d -> {
            dev.cpt.core.format.Json.MAPPER.writeValue(d.resolve("eval.json").toFile(), eval);
            model.save(d.resolve("model.safetensors"));
            optimizer.save(d.resolve("optimizer.safetensors"));
            replay.checkpoint(d.resolve("replay"));
            evalSets.save(d);
            state.write(d);
            manifest[0] = Publisher.seal(d, new Manifest(Manifest.FORMAT_VERSION, StoreLayout.mainId(step), Manifest.Kind.MAIN,
                    options.branching().mode().word(), System.currentTimeMillis(), step, tokens, tokensPerStream, step, null, modelConfig(), tokenizer,
                    model.config().vocabSize(), eval, null, null, null, List.of()));
        });
        publisher.alias(AliasTable.MAIN, manifest[0].id());
        listeners.published(this, manifest[0], store.mainDir().getFileName() + "/" + dir.getFileName(),
                Checksums.sha256(dir.resolve(StoreLayout.MANIFEST)));
        try {
            // the offset of the record holding the next sequence: lag tools count records, and the skip lives in the checkpoint
            feed.commit(FeedPosition.offsets(positions));
        } catch (RuntimeException e) {
            log.warn("checkpoint {} is durable but committing its positions for lag tools failed: {}", dir.getFileName(), e.toString());
        }
        return dir;
    }

    private Map<String, Long> modelConfig() {
        return model.config().toMap();
    }

    /**
     * Mean held-out loss per stream on the frozen eval sets (forward only). Computed once per step:
     * when evaluation and a checkpoint fall on the same step, the checkpoint reuses the result.
     */
    public Map<String, Double> evaluate() {
        if (lastEval != null && lastEvalStep == step) {
            return lastEval;
        }
        if (model == null) {
            return Map.of();
        }
        Map<String, Double> out = Evaluator.meanLoss(evalSets, trainStep, options.batchSize());
        lossLaw.evaluated(out);
        lastEval = Map.copyOf(out);
        lastEvalStep = step;
        return lastEval;
    }

    public long stepCount() {
        return step;
    }

    public long tokens() {
        return tokens;
    }

    public long skippedSteps() {
        return skipped;
    }

    /**
     * Where the main run reads next: per "topic:partition" the offset of the record holding the next
     * sequence, per "topic:partition/skip" how many of that record's sequences were read already
     * (where not 0: the record is a block a batch ended inside), and how many sequences it has read
     * but not trained on yet ("pending").
     */
    public Map<String, Long> positions() {
        Map<TopicPartition, FeedPosition> at = feed.positions();
        Map<String, Long> out = new TreeMap<>(TrainerState.offsets(at));
        TrainerState.skipsOf(at).forEach((k, skip) -> out.put(k + "/skip", (long) skip));
        out.put("pending", (long) pending.size());
        return out;
    }

    public Map<String, Long> tokensPerStream() {
        return Map.copyOf(tokensPerStream);
    }

    public Schedule schedule() {
        return schedule;
    }

    public TrainerOptions options() {
        return options;
    }

    /** The model, once the first batch (or a checkpoint) has fixed its shape; empty before. */
    public Optional<Gpt> model() {
        return Optional.ofNullable(model);
    }

    public Optional<AdamW> optimizer() {
        return Optional.ofNullable(optimizer);
    }

    public CheckpointStore store() {
        return store;
    }

    private void closeParts() {
        brancher.abandon();
        for (AutoCloseable c : new AutoCloseable[]{feed, heldout, replay, optimizer, model}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
                }
            }
        }
        feed = null;
        heldout = null;
        replay = null;
        optimizer = null;
        model = null;
    }

    @Override
    public void close() {
        closeParts();
        brancher.close();
    }

}
