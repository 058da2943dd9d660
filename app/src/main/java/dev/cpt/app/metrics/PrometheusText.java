package dev.cpt.app.metrics;

import java.util.HashSet;
import java.util.Set;

/** Small operations on Prometheus text exposition. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * {@code extra} without the metric families {@code base} already has: one scrape must not hold
     * two families of one name (the monitor rebuilds the trainer's learning meters from telemetry).
     */
    public static String withoutFamiliesOf(String extra, String base) {
        Set<String> known = new HashSet<>();
        for (String line : base.split("\n")) {
            known.addAll(names(line));
        }
        StringBuilder out = new StringBuilder();
        for (String line : extra.split("\n")) {
            Set<String> names = names(line);
            if (!names.isEmpty() && names.stream().noneMatch(known::contains)) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The metric name of a line (a sample, or a # TYPE / # HELP / # UNIT comment) and that name
     * without a sample suffix: exposition formats differ on whether a counter's family is
     * {@code x} or {@code x_total}, so both count as the family.
     */
    static Set<String> names(String line) {
        Set<String> out = new HashSet<>();
        String name;
        if (line.isBlank()) {
            return out;
        } else if (line.startsWith("# ")) {
            String[] parts = line.split(" ");
            if (parts.length < 3) {
                return out;
            }
            name = parts[2];
        } else {
            name = line.split("[{ ]", 2)[0];
        }
        out.add(name);
        for (String suffix : new String[]{"_total", "_count", "_sum", "_bucket", "_max", "_created"}) {
            if (name.endsWith(suffix)) {
                out.add(name.substring(0, name.length() - suffix.length()));
            }
        }
        return out;
    }
}
