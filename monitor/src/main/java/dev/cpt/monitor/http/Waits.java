package dev.cpt.monitor.http;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code ?wait=} of a long-poll: {@code 500ms}, {@code 30s}, {@code 2m}. */
final class Waits {

    private static final Pattern WAIT = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private Waits() {
    }

    /** The duration, capped at {@code max}; IllegalArgumentException naming the forms allowed. */
    static Duration parse(String value, Duration max) {
        Matcher m = value == null ? null : WAIT.matcher(value.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("wait must be a number with ms, s or m (e.g. 500ms, 30s, 2m), got '" + value
                    + "'; at most " + max.toSeconds() + "s is waited");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        return d.compareTo(max) > 0 ? max : d;
    }
}
