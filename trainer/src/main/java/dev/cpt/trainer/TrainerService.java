package dev.cpt.trainer;

import dev.cpt.core.config.Config;
import dev.cpt.core.format.BranchRequest;
import dev.cpt.trainer.branch.BranchRequests;
import dev.cpt.trainer.branch.BranchSpec;
import dev.cpt.trainer.branch.ControlConsumer;
import dev.cpt.trainer.listen.CheckpointListener;
import dev.cpt.trainer.listen.PublicationListener;
import dev.cpt.trainer.listen.EvalListener;
import dev.cpt.trainer.listen.Listeners;
import dev.cpt.trainer.listen.StepListener;
import dev.cpt.trainer.listen.TelemetryListener;
import dev.cpt.trainer.telemetry.PeakFlops;
import dev.cpt.trainer.telemetry.TelemetryPublisher;
import dev.cpt.trainer.telemetry.TrainerMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The trainer as a running part of a process: one dedicated thread opens the trainer (from the
 * newest checkpoint), trains until {@link #close()}, then writes a last checkpoint so that nothing
 * trained is lost. Every DJL call happens on that one thread (gradient mode is per thread).
 */
public final class TrainerService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainerService.class);

    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch opened = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Trainer trainer;

    private TrainerService(TrainerOptions options, String bootstrap, MeterRegistry registry) {
        thread = new Thread(() -> run(options, bootstrap, registry), "cpt-trainer");
    }

    /** Starts the trainer thread and waits until the trainer is open (or failed to open). */
    public static TrainerService start(Config config, String bootstrap, MeterRegistry registry, Duration timeout) {
        TrainerService s = new TrainerService(TrainerOptions.from(config), bootstrap, registry);
        s.thread.start();
        try {
            if (!s.opened.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                s.close();
                throw new IllegalStateException("the trainer did not open within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the trainer", e);
        }
        if (s.failure.get() != null) {
            Throwable f = s.failure.get();
            throw f instanceof RuntimeException r ? r : new IllegalStateException("the trainer failed to open", f);
        }
        return s;
    }

    private void run(TrainerOptions options, String bootstrap, MeterRegistry registry) {
        TelemetryPublisher publisher = new TelemetryPublisher(bootstrap, options.topics().telemetry(), "main");
        PublicationListener publications = new PublicationListener(bootstrap, options.topics().checkpoints(), registry);
        ControlConsumer control = null;
        try {
            ai.djl.engine.Engine.getInstance();
            ai.djl.pytorch.jni.JniUtils.setGradMode(false); // NOTES.md: in-place updates need it off on this thread
            double peak = options.peakFlops() > 0 ? options.peakFlops()
                    : PeakFlops.measure(ai.djl.engine.Engine.getInstance().defaultDevice(), 1024, 8);
            log.info("peak {} GFLOP/s for MFU ({})", String.format("%.1f", peak / 1e9),
                    options.peakFlops() > 0 ? "cpt.trainer.peak.flops" : "measured on a 1024^3 matmul");
            TrainerMeters meters = new TrainerMeters(registry);
            TelemetryListener telemetry = new TelemetryListener(options.telemetryEvery(), peak, meters, publisher);
            List<StepListener> others = List.of(new EvalListener(options.evalEvery(), registry),
                    new CheckpointListener(options.checkpointEvery(), options.checkpointInterval(), System::nanoTime));
            trainer = Trainer.open(options, bootstrap, new Listeners(telemetry, others, publications));
            control = new ControlConsumer(bootstrap, options.topics().control(), options.groupId() + "-control", this::requestBranch);
            opened.countDown();
            trainer.run(stop::get);
            long last = trainer.store().latest().map(dev.cpt.trainer.checkpoint.CheckpointStore::step).orElse(-1L);
            if (trainer.model().isPresent() && last != trainer.stepCount()) {
                log.info("stopping: final checkpoint at step {}", trainer.stepCount());
                trainer.checkpoint();
            }
        } catch (Throwable t) {
            failure.set(t);
            log.error("the trainer stopped on an error", t);
        } finally {
            opened.countDown();
            if (control != null) {
                control.close();
            }
            if (trainer != null) {
                trainer.close();
            }
            publisher.close();
            publications.close();
        }
    }

    /** The running trainer's step count (for health and tests). */
    public long step() {
        Trainer t = trainer;
        return t == null ? 0 : t.stepCount();
    }

    /**
     * Queues a branch request (any thread). Refused when the trainer is not open, the request is
     * invalid (the message says which field and what is allowed) or the queue is full.
     */
    public BranchRequests.Outcome requestBranch(BranchRequest request, String origin) {
        Trainer t = trainer;
        if (t == null || failure.get() != null) {
            return new BranchRequests.Outcome(BranchRequests.Result.UNAVAILABLE, -1, "refused: the trainer is not running");
        }
        BranchSpec spec;
        try {
            spec = t.branchDefaults().with(request);
        } catch (IllegalArgumentException e) {
            return new BranchRequests.Outcome(BranchRequests.Result.INVALID, -1, "invalid: " + e.getMessage());
        }
        return t.branchRequests().offer(spec, origin);
    }

    public boolean failed() {
        return failure.get() != null;
    }

    /** Stops after the current step, writes a last checkpoint and waits for the thread (bounded). */
    @Override
    public void close() {
        stop.set(true);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("the trainer thread did not stop within 30 s");
        }
    }
}
