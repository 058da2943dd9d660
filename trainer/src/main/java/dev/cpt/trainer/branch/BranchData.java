package dev.cpt.trainer.branch;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** What a branch's decay trains on (cpt.branch.data). */
public sealed interface BranchData {

    /** The data that follows the fork point, read by a separate consumer from the main run's positions, never committed. */
    record Upcoming() implements BranchData {
    }

    /** Draws from the replay reservoir with the main run's replay weights. */
    record Replay() implements BranchData {
    }

    /** Draws from the replay reservoir, only these streams, in these proportions (Stable-then-Decay data mixes). */
    record Mix(Map<String, Double> weights) implements BranchData {
        public Mix {
            weights = Collections.unmodifiableMap(new TreeMap<>(weights)); // sorted: word() is canonical (Map.copyOf is not)
            if (weights.isEmpty() || weights.values().stream().noneMatch(w -> w > 0)) {
                throw new IllegalArgumentException("a mix needs at least one stream with a weight above 0: " + weights);
            }
        }
    }

    Pattern STREAM = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** {@code upcoming}, {@code replay} or {@code mix:stream:weight,...}; errors say what is allowed. */
    static BranchData parse(String text) {
        String s = text.strip();
        String t = s.toLowerCase(Locale.ROOT); // the keywords only: stream ids are case-sensitive, and lower-case
        if (t.equals("upcoming")) {
            return new Upcoming();
        }
        if (t.equals("replay")) {
            return new Replay();
        }
        if (t.startsWith("mix:")) {
            Map<String, Double> w = new TreeMap<>();
            for (String pair : s.substring(4).split(",")) {
                int colon = pair.lastIndexOf(':');
                String stream = colon < 0 ? "" : pair.substring(0, colon).strip();
                double weight;
                try {
                    weight = colon < 0 ? Double.NaN : Double.parseDouble(pair.substring(colon + 1).strip());
                } catch (NumberFormatException e) {
                    weight = Double.NaN;
                }
                if (!STREAM.matcher(stream).matches() || !(weight >= 0) || Double.isInfinite(weight)) {
                    throw new IllegalArgumentException("branch data '" + text + "': '" + pair
                            + "' is not stream:weight (a stream id and a finite weight >= 0)");
                }
                w.put(stream, weight);
            }
            return new Mix(w);
        }
        throw new IllegalArgumentException("branch data '" + text + "' is not one of upcoming, replay, mix:stream:weight,...");
    }

    /** The text form, as {@link #parse} reads it and manifests record it. */
    default String word() {
        if (this instanceof Mix m) {
            StringBuilder b = new StringBuilder("mix:");
            m.weights().forEach((k, v) -> b.append(b.length() > 4 ? "," : "").append(k).append(':')
                    .append(v == Math.rint(v) ? Long.toString(v.longValue()) : Double.toString(v)));
            return b.toString();
        }
        return this instanceof Replay ? "replay" : "upcoming";
    }
}
