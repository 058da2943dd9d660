package dev.cpt.trainer.branch;

import dev.cpt.core.config.BranchSettings;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import dev.cpt.trainer.checkpoint.Publisher;
import dev.cpt.trainer.eval.Evaluator;
import dev.cpt.trainer.predict.LossLawFit;
import dev.cpt.trainer.predict.LrIntegrals;
import dev.cpt.trainer.replay.ReplayRng;
import dev.cpt.trainer.schedule.Schedule;
import dev.cpt.trainer.step.StepResult;
import dev.cpt.trainer.step.TrainStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Forks, runs and publishes decayed branches. The branch runs on the training thread and pauses
 * the main run (DJL allows one gradient collector per process): while a branch is active the
 * trainer calls {@link #step()} instead of taking a main step. Its model and optimizer are
 * allocated once and overwritten at every fork, so branching keeps memory flat.
 */
public final class Brancher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Brancher.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /** What a branch step did. */
    public enum Status { WAITING, STEPPED, FINISHED, ABORTED }

    /** A published branch, with what wsd-s needs to continue from it. */
    public record Finished(Publisher.Published published, long steps, long tokens, Map<String, Long> freshTokensPerStream,
                           LrIntegrals integrals, double finalLr, Optional<BranchSource.Upcoming> upcoming, TrainStep model) {
    }

    private final BranchSpec defaults;
    private final BranchTriggers triggers;
    private final BranchRequests requests;
    private final BranchSettings.Mode mode;
    private final Publisher publisher;
    private final Supplier<TrainStep> allocate;
    private final int batchSize;
    private final int maxSkips;
    private final long seed;
    private TrainStep model;
    private Run run;
    private Finished finished;

    public Brancher(BranchSpec defaults, BranchTriggers triggers, int queueCapacity, BranchSettings.Mode mode, Publisher publisher,
                    Supplier<TrainStep> allocate, int batchSize, int maxSkips, long seed) {
        this.defaults = defaults;
        this.triggers = triggers;
        this.requests = new BranchRequests(queueCapacity);
        this.mode = mode;
        this.publisher = publisher;
        this.allocate = allocate;
        this.batchSize = batchSize;
        this.maxSkips = maxSkips;
        this.seed = seed;
    }

    public BranchSpec defaults() {
        return defaults;
    }

    /** Requests from other threads (HTTP, the control topic) land here. */
    public BranchRequests requests() {
        return requests;
    }

    public boolean active() {
        return run != null;
    }

    /**
     * The next branch to fork: a queued request first, else a trigger that is due, unless the
     * main run is still warming up (a decay from a learning rate that is still rising says nothing
     * about the stable run; an explicit request is honoured anyway).
     */
    public Optional<BranchRequests.Pending> due(long freshTokensSince, long msSince, boolean warmingUp) {
        Optional<BranchRequests.Pending> asked = requests.poll();
        if (asked.isPresent() || warmingUp) {
            return asked;
        }
        return triggers.due(freshTokensSince, msSince).map(why -> new BranchRequests.Pending(defaults, why, System.currentTimeMillis()));
    }

    /**
     * Forks a branch at {@code at}: copies the weights and optimizer state, plans the decay and
     * predicts its loss. Returns false (and logs why) when the spec cannot run here, e.g. a replay
     * branch while the reservoir holds nothing of the streams asked for.
     */
    public boolean fork(ForkPoint at, BranchRequests.Pending request, long stepsSincePrevious) {
        BranchSpec spec = request.spec();
        BranchSource source;
        long seq = publisher.nextSeq();
        if (spec.data() instanceof BranchData.Mix m) {
            source = replayed(at, m.weights(), seq);
        } else if (spec.data() instanceof BranchData.Replay) {
            source = replayed(at, at.replayWeights(), seq);
        } else {
            source = at.upcoming().get();
        }
        if (source == null) {
            log.warn("branch request ({}) refused: the replay buffer holds nothing to draw {} from", request.origin(), spec.data().word());
            return false;
        }
        if (model == null) {
            model = allocate.get();
        }
        at.main().copyInto(model);
        long steps = spec.decaySteps(stepsSincePrevious);
        double lrAtFork = at.schedule().lr(at.step());
        Schedule decay = at.schedule().decayFrom(at.step(), steps, spec.shape(), spec.floor() * lrAtFork);
        LrIntegrals end = at.integrals();
        for (long k = 0; k < steps; k++) {
            end = end.advance(decay.lr(at.step() + k));
        }
        Optional<LossLawFit.Fit> fit = LossLawFit.fit(at.observations());
        Double predicted = null;
        String note;
        if (fit.isEmpty()) {
            note = "no prediction: " + at.observations().size() + " evaluations are not enough to fit the loss law";
        } else if (!fit.get().annealingSeen()) {
            note = "no prediction: no finished branch yet, so the law's annealing term is unknown";
        } else {
            predicted = fit.get().law().predict(end);
            note = String.format(java.util.Locale.ROOT, "loss law fitted on %d points (rms log error %.4f): %s", fit.get().points(),
                    fit.get().rmsLogError(), fit.get().law());
        }
        String id = StoreLayout.branchId(seq, at.step());
        run = new Run(id, spec, request.origin(), at, steps, lrAtFork, decay, source, predicted, note, at.integrals());
        log.info("branch {} forked at step {} ({}): {} decay steps, {}; {}", id, at.step(), request.origin(), steps, spec.describe(),
                predicted == null ? note : "predicted loss " + String.format(java.util.Locale.ROOT, "%.4f", predicted));
        return true;
    }

    private BranchSource replayed(ForkPoint at, Map<String, Double> weights, long seq) {
        if (!at.replay().canSample(weights)) {
            return null;
        }
        return new BranchSource.Replayed(at.replay(), weights, ReplayRng.seeded(seed ^ (0x9E3779B97F4A7C15L * seq)));
    }

    /** One decay step of the active branch; at the last one the branch is evaluated and published. */
    public Status step() throws IOException {
        Run r = run;
        List<TokenSequence> batch = r.source.take(batchSize, POLL);
        if (batch.isEmpty()) {
            return Status.WAITING;
        }
        int[][] rows = new int[batch.size()][];
        for (int i = 0; i < rows.length; i++) {
            TokenSequence s = batch.get(i);
            rows[i] = s.tokens();
            r.perStream.merge(s.stream(), (long) s.length(), Long::sum);
        }
        double lr = r.decay.lr(r.at.step() + r.done);
        StepResult result = model.step(rows, lr);
        r.done++;
        r.tokens += result.tokens();
        r.integrals = r.integrals.advance(lr);
        r.lastLr = lr;
        if (result.skipped()) {
            r.skipped++;
            log.warn("branch {} decay step {} skipped: {} (loss {}, grad norm {})", r.id, r.done, result.skipReason(), result.loss(),
                    result.gradNorm());
            if (++r.skippedInARow >= maxSkips) {
                log.error("branch {} aborted: {} non-finite steps in a row (last: {})", r.id, r.skippedInARow, result.skipReason());
                abandon();
                return Status.ABORTED;
            }
        } else {
            r.skippedInARow = 0;
        }
        if (r.done < r.steps) {
            return Status.STEPPED;
        }
        finished = publish(r);
        run = null;
        return Status.FINISHED;
    }

    /** The branch that finished at the last {@link #step()}, once. */
    public Optional<Finished> takeFinished() {
        Finished f = finished;
        finished = null;
        return Optional.ofNullable(f);
    }

    private Finished publish(Run r) throws IOException {
        double seconds = (System.nanoTime() - r.startNs) / 1e9;
        Map<String, Double> eval = Evaluator.meanLoss(r.at.evalSets(), model, batchSize);
        Map<String, Long> perStream = new TreeMap<>(r.at.tokensPerStream());
        r.perStream.forEach((k, v) -> perStream.merge(k, v, Long::sum));
        long step = r.at.step() + r.steps;
        long tokens = r.at.tokens() + r.tokens;
        Manifest draft = new Manifest(Manifest.FORMAT_VERSION, r.id, Manifest.Kind.DECAYED, mode.word(),
                System.currentTimeMillis(), step, tokens, perStream, r.at.step(),
                new Manifest.Decay(r.spec.shapeWord(), r.steps, r.spec.floor(), r.lrAtFork, r.spec.data().word(), r.tokens, seconds,
                        r.skipped),
                r.at.model(), r.at.tokenizer(), (int) (long) r.at.model().get("vocabSize"), eval, r.at.mainEval(), r.predicted,
                r.note, List.of());
        Map<String, String> meta = new HashMap<>();
        meta.put("step", Long.toString(step));
        meta.put("tokens", Long.toString(tokens));
        meta.put("branch", r.id);
        meta.put("kind", "decayed");
        meta.put("tokenizer", r.at.tokenizer());
        Publisher.Published p = publisher.publishBranch(draft, dir -> model.model().save(dir.resolve(StoreLayout.MODEL), meta));
        log.info("branch {} published after {} decay steps in {} s: eval loss {} (main at fork {}){}", r.id, r.steps,
                String.format(java.util.Locale.ROOT, "%.1f", seconds), eval, r.at.mainEval(),
                r.predicted == null ? "" : String.format(java.util.Locale.ROOT, ", predicted %.4f", r.predicted));
        Optional<BranchSource.Upcoming> upcoming = r.source instanceof BranchSource.Upcoming u ? Optional.of(u) : Optional.empty();
        if (upcoming.isEmpty()) {
            r.source.close();
        }
        return new Finished(p, r.steps, r.tokens, Map.copyOf(r.perStream), r.integrals, r.lastLr, upcoming, model);
    }

    /** Drops the active branch (shutdown, or too many bad steps): nothing is published. */
    public void abandon() {
        if (run != null) {
            log.warn("branch {} abandoned at decay step {}/{}", run.id, run.done, run.steps);
            run.source.close();
            run = null;
        }
    }

    /** The active branch's id, for telemetry; empty when none. */
    public Optional<String> activeId() {
        return Optional.ofNullable(run).map(r -> r.id);
    }

    @Override
    public void close() {
        abandon();
        if (model != null) {
            model.optimizer().close();
            model.model().close();
            model = null;
        }
    }

    private static final class Run {
        final String id;
        final BranchSpec spec;
        final String origin;
        final ForkPoint at;
        final long steps;
        final double lrAtFork;
        final Schedule decay;
        final BranchSource source;
        final Double predicted;
        final String note;
        final long startNs = System.nanoTime();
        final Map<String, Long> perStream = new TreeMap<>();
        LrIntegrals integrals;
        long done;
        long tokens;
        int skippedInARow;
        long skipped;
        double lastLr;

        Run(String id, BranchSpec spec, String origin, ForkPoint at, long steps, double lrAtFork, Schedule decay, BranchSource source,
            Double predicted, String note, LrIntegrals integrals) {
            this.id = id;
            this.spec = spec;
            this.origin = origin;
            this.at = at;
            this.steps = steps;
            this.lrAtFork = lrAtFork;
            this.decay = decay;
            this.source = source;
            this.predicted = predicted;
            this.note = note;
            this.integrals = integrals;
        }
    }
}
