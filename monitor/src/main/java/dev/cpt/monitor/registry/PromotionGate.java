package dev.cpt.monitor.registry;

import dev.cpt.core.store.Manifest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a decayed checkpoint may become {@code latest}. It may when there is no current latest;
 * otherwise it must (1) not be worse than the latest by more than {@code maxRegression} (a
 * fraction: 0.01 = 1%) on any stream both were evaluated on, and (2) be better than the latest on
 * the newest stream: continual pretraining exists to learn what is new without forgetting the rest.
 */
public final class PromotionGate {

    /** The gate's answer, with a reason a person can act on. */
    public record Decision(boolean promoted, String reason) {
        public Decision {
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final double maxRegression;

    public PromotionGate(double maxRegression) {
        if (!Double.isFinite(maxRegression) || maxRegression < 0) {
            throw new IllegalArgumentException("maxRegression must be a finite fraction >= 0 (0.01 = 1%), got " + maxRegression);
        }
        this.maxRegression = maxRegression;
    }

    public double maxRegression() {
        return maxRegression;
    }

    /**
     * @param newestStream the stream to be learned ({@link #newestStream}); null or blank: none, so
     *                     rule (2) does not apply
     */
    public Decision decide(Manifest candidate, Optional<Manifest> currentLatest, String newestStream) {
        Objects.requireNonNull(candidate, "candidate");
        if (currentLatest.isEmpty()) {
            return new Decision(true, "promoted: there is no current latest");
        }
        Manifest latest = currentLatest.get();
        List<String> refusals = new ArrayList<>();
        for (Map.Entry<String, Double> e : candidate.evalLoss().entrySet()) {
            Double was = latest.evalLoss().get(e.getKey());
            if (was == null) {
                continue;
            }
            double bound = was * (1 + maxRegression);
            double now = e.getValue() == null ? Double.NaN : e.getValue();
            if (!Double.isFinite(now) || now > bound) {
                refusals.add(String.format(Locale.ROOT,
                        "stream %s regressed: candidate loss %s > allowed %s (latest %s has %s; at most +%s%%)",
                        e.getKey(), num(now), num(bound), latest.id(), num(was), num(maxRegression * 100)));
            }
        }
        boolean hasNewest = newestStream != null && !newestStream.isBlank();
        if (hasNewest && latest.evalLoss().containsKey(newestStream)) {
            double was = latest.evalLoss().get(newestStream);
            Double now = candidate.evalLoss().get(newestStream);
            if (now == null) {
                refusals.add("the candidate has no eval loss on the newest stream " + newestStream
                        + ", so it cannot show it improved on latest " + latest.id() + " (" + num(was) + ")");
            } else if (!(now < was)) {
                refusals.add(String.format(Locale.ROOT,
                        "the candidate did not improve the newest stream %s: loss %s, latest %s has %s (it must be lower)",
                        newestStream, num(now), latest.id(), num(was)));
            }
        }
        if (!refusals.isEmpty()) {
            return new Decision(false, "refused: " + String.join("; ", refusals));
        }
        String newest = !hasNewest ? "no newest stream to improve"
                : latest.evalLoss().containsKey(newestStream)
                ? "improved the newest stream " + newestStream + " (" + num(candidate.evalLoss().get(newestStream))
                + " < " + num(latest.evalLoss().get(newestStream)) + ")"
                : "the newest stream " + newestStream + " is new to latest " + latest.id();
        return new Decision(true, String.format(Locale.ROOT, "promoted: within +%s%% of %s on every shared stream; %s",
                num(maxRegression * 100), latest.id(), newest));
    }

    /**
     * The stream whose first appearance in {@code tokensPerStream} (with tokens > 0), taking the
     * manifests in creation order (createdMs, then step, then id), is the latest. Streams first
     * seen in the same manifest: the one with the fewest tokens there, then by name. Empty when no
     * manifest names a stream.
     */
    public static Optional<String> newestStream(Collection<Manifest> manifests) {
        List<Manifest> ordered = manifests.stream().sorted(Registry.NEWEST_FIRST.reversed()).toList();
        Set<String> seen = new HashSet<>();
        String newest = null;
        for (Manifest m : ordered) {
            List<Map.Entry<String, Long>> fresh = m.tokensPerStream().entrySet().stream()
                    .filter(e -> e.getValue() != null && e.getValue() > 0 && !seen.contains(e.getKey()))
                    .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .toList();
            if (!fresh.isEmpty()) {
                newest = fresh.get(0).getKey();
                fresh.forEach(e -> seen.add(e.getKey()));
            }
        }
        return Optional.ofNullable(newest);
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
