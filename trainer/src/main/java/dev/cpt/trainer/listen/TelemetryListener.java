package dev.cpt.trainer.listen;

import dev.cpt.core.format.TelemetryEvent;
import dev.cpt.trainer.Trainer;
import dev.cpt.trainer.optim.GroupStats;
import dev.cpt.trainer.step.StepResult;
import dev.cpt.trainer.telemetry.TelemetryPublisher;
import dev.cpt.trainer.telemetry.TrainerMeters;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every {@code every} steps, one {@link TelemetryEvent} summarising the steps since the previous
 * one: mean loss, throughput, step time by part, MFU, and the per-group statistics the last step
 * collected (the only steps that pay for the one extra host transfer).
 */
public final class TelemetryListener implements StepListener {

    private final long every;
    private final double peakFlops;
    private final TrainerMeters meters;
    private final Consumer<TelemetryEvent> sink;
    private double lossSum;
    private int steps;
    private long tokens;
    private long waitNs;
    private long dataNs;
    private long forwardNs;
    private long backwardNs;
    private long optimizerNs;
    private long windowStart = System.nanoTime();
    private boolean waited;
    private TelemetryEvent lastEvent;

    /**
     * @param peakFlops the device's peak FLOP/s for MFU (0 = MFU not reported)
     * @param sink where events go besides the meters (the telemetry topic), may be null
     */
    public TelemetryListener(long every, double peakFlops, TrainerMeters meters, TelemetryPublisher sink) {
        this(every, peakFlops, meters, sink == null ? (Consumer<TelemetryEvent>) e -> { } : sink::publish);
    }

    /** @param sink where events go besides the meters */
    public TelemetryListener(long every, double peakFlops, TrainerMeters meters, Consumer<TelemetryEvent> sink) {
        this(every, peakFlops, meters, sink, HEARTBEAT_MS);
    }

    /** @param heartbeatMs the least time between two events while the main run makes no step */
    public TelemetryListener(long every, double peakFlops, TrainerMeters meters, Consumer<TelemetryEvent> sink, long heartbeatMs) {
        this.heartbeatMs = heartbeatMs;
        this.every = every;
        this.peakFlops = peakFlops;
        this.meters = meters;
        this.sink = sink;
    }

    /** No event is due while the main run makes no step (no data, or a branch decaying): at most this often, a heartbeat. */
    public static final long HEARTBEAT_MS = 30_000;

    private final long heartbeatMs;

    void waiting(Trainer trainer, boolean idle) {
        waited |= idle;
        if (idle) {
            heartbeat(trainer, null);
        }
    }

    /**
     * Repeats the last event with the time now, no throughput, and {@code phase} (null = as it
     * was), at most every {@code heartbeatMs}: the monitor's freshness meters then tell an idle
     * or branching trainer from a dead one.
     */
    void heartbeat(Trainer trainer, String phase) {
        TelemetryEvent l = lastEvent;
        long now = System.currentTimeMillis();
        if (l == null || now - l.timestampMs() < heartbeatMs) {
            return;
        }
        TelemetryEvent e = new TelemetryEvent(now, l.step(), l.tokens(), l.tokensPerStream(), l.loss(), l.lr(),
                phase == null ? l.phase() : phase, l.gradNorm(), 0, 0, l.stepMs(), l.groups(), trainer.skippedSteps(), waited);
        publish(e);
    }

    private void publish(TelemetryEvent e) {
        lastEvent = e;
        if (meters != null) {
            meters.update(e);
        }
        sink.accept(e);
    }

    void accumulate(Trainer trainer, StepResult r, long wait) {
        if (!r.skipped()) {
            lossSum += r.loss();
            steps++;
        }
        tokens += r.tokens();
        waitNs += wait;
        dataNs += r.dataNs();
        forwardNs += r.forwardNs();
        backwardNs += r.backwardNs();
        optimizerNs += r.optimizerNs();
        if (meters != null) {
            meters.step(Duration.ofNanos(wait + r.totalNs()));
        }
    }

    @Override
    public boolean shouldRun(long step) {
        return step % every == 0;
    }

    @Override
    public void run(Trainer trainer, StepResult last, double lr, long wait) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-9, (now - windowStart) / 1e9);
        double tps = tokens / seconds;
        int n = Math.max(1, steps);
        Map<String, Double> stepMs = new TreeMap<>();
        int all = (int) Math.max(1, every);
        stepMs.put("data", (waitNs + dataNs) / 1e6 / all);
        stepMs.put("forward", forwardNs / 1e6 / all);
        stepMs.put("backward", backwardNs / 1e6 / all);
        stepMs.put("optimizer", optimizerNs / 1e6 / all);
        Map<String, TelemetryEvent.GroupStats> groups = new TreeMap<>();
        for (GroupStats g : last.groups()) {
            groups.put(g.group().label(), new TelemetryEvent.GroupStats(g.weightNorm(), g.relativeUpdate(), g.effectiveLr()));
        }
        double mfu = 0;
        if (peakFlops > 0 && trainer.model().isPresent()) {
            var c = trainer.model().get().config();
            mfu = c.flopsPerToken(c.context()) * tps / peakFlops;
        }
        TelemetryEvent e = new TelemetryEvent(System.currentTimeMillis(), trainer.stepCount(), trainer.tokens(),
                trainer.tokensPerStream(), steps == 0 ? Double.NaN : lossSum / n, lr, trainer.schedule().phase(trainer.stepCount() - 1),
                last.gradNorm(), tps, mfu, stepMs, groups, trainer.skippedSteps(), waited);
        publish(e);
        lossSum = 0;
        steps = 0;
        tokens = 0;
        waitNs = 0;
        dataNs = 0;
        forwardNs = 0;
        backwardNs = 0;
        optimizerNs = 0;
        waited = false;
        windowStart = now;
    }
}
