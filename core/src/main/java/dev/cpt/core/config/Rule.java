package dev.cpt.core.config;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A validator with the words that explain it. The words are what a user sees when a value
 * breaks the rule, so they state what is allowed ("between 1 and 65535"), not what went wrong.
 */
public record Rule<T>(String description, Predicate<T> test) {

    public static <T> Rule<T> any() {
        return new Rule<>("any value", v -> true);
    }

    public static Rule<Integer> between(int min, int max) {
        return new Rule<>("between " + min + " and " + max, v -> v >= min && v <= max);
    }

    public static Rule<Long> between(long min, long max) {
        return new Rule<>("between " + min + " and " + max, v -> v >= min && v <= max);
    }

    public static Rule<Double> between(double min, double max) {
        return new Rule<>("between " + min + " and " + max, v -> v >= min && v <= max);
    }

    public static Rule<Integer> port() {
        return new Rule<>("a TCP port between 0 and 65535 (0 = pick a free one)", v -> v >= 0 && v <= 65535);
    }

    public static Rule<java.time.Duration> atLeast(java.time.Duration min) {
        return new Rule<>("at least " + ValueType.formatDuration(min), v -> v.compareTo(min) >= 0);
    }

    public static Rule<String> matches(String regex, String description) {
        Pattern p = Pattern.compile(regex);
        return new Rule<>(description, v -> p.matcher(v).matches());
    }

    public static Rule<String> nonBlank() {
        return new Rule<>("not empty", v -> !v.isBlank());
    }

    /** Empty, or comma-separated host:port pairs (IPv6 hosts in brackets), ports 1..65535. */
    public static Rule<String> hostPortListOrEmpty() {
        Pattern hostPort = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^\\s,:\\[\\]]+):(\\d{1,5})");
        return new Rule<>("empty, or host:port[,host:port...] with ports 1..65535", v -> {
            if (v.isBlank()) {
                return true;
            }
            for (String part : v.split(",", -1)) {
                Matcher m = hostPort.matcher(part.strip());
                if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
                    return false;
                }
            }
            return true;
        });
    }

    public boolean accepts(T value) {
        return test.test(value);
    }
}
