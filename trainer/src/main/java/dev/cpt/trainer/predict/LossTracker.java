package dev.cpt.trainer.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The main run's input to the loss law, kept as it trains: its {@link LrIntegrals} and a bounded
 * history of {@link Observation}s (main-run evaluations and finished branches). The observed loss
 * is the mean over the evaluated streams; when that set of streams changes (a new stream's eval
 * set appears) the mean is a different quantity, so the history starts again.
 * Used on the training thread only.
 */
public final class LossTracker {

    /** Observations kept; beyond it every other point of the older half is dropped, so the history spans the whole run. */
    public static final int MAX_OBSERVATIONS = 256;

    private LrIntegrals integrals;
    private final List<Observation> observations;
    private List<String> streams;

    public LossTracker(LrIntegrals integrals, List<Observation> observations, List<String> streams) {
        this.integrals = integrals;
        this.observations = new ArrayList<>(observations);
        this.streams = List.copyOf(streams);
    }

    public static LossTracker start() {
        return new LossTracker(LrIntegrals.start(), List.of(), List.of());
    }

    /** A main-run step at {@code lr} after warmup. */
    public void step(double lr) {
        integrals = integrals.advance(lr);
    }

    /** The main run continues from a branch's integrals (wsd-s). */
    public void adopt(LrIntegrals branchEnd) {
        integrals = branchEnd;
    }

    /** A main-run evaluation now. */
    public void evaluated(Map<String, Double> losses) {
        observe(integrals, losses);
    }

    /** A branch that ended at {@code at} with {@code losses}. */
    public void observe(LrIntegrals at, Map<String, Double> losses) {
        double mean = dev.cpt.core.store.Manifest.mean(losses);
        if (at.s1() <= 0 || !Double.isFinite(mean) || mean <= 0) {
            return;
        }
        List<String> now = losses.keySet().stream().sorted().toList();
        if (!now.equals(streams)) {
            observations.clear();
            streams = now;
        }
        observations.add(new Observation(at.s1(), at.s2(), mean));
        if (observations.size() > MAX_OBSERVATIONS) {
            // the older half loses every other point (the first stays): old parts of the run get sparser, never lost
            int half = observations.size() / 2;
            List<Observation> thinned = new ArrayList<>();
            for (int i = 0; i < observations.size(); i++) {
                if (i >= half || i % 2 == 0) {
                    thinned.add(observations.get(i));
                }
            }
            observations.clear();
            observations.addAll(thinned);
        }
    }

    public LrIntegrals integrals() {
        return integrals;
    }

    public List<Observation> observations() {
        return List.copyOf(observations);
    }

    /** The streams the observed mean is over. */
    public List<String> streams() {
        return streams;
    }
}
