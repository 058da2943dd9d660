package dev.cpt.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a setting's text (from YAML, an environment variable or {@code --set}) becomes a typed
 * value, and how a value is written back as text. Every source goes through {@link #parse}, so
 * "30s" means the same thing wherever it is written.
 *
 * @param name what the type is called in messages and docs ("integer", "duration", ...)
 * @param parser turns text into a value; throws {@link IllegalArgumentException} with the reason
 * @param formatter the inverse of {@code parser}: {@code parse(format(v)).equals(v)}
 * @param quoted whether the YAML rendering of a value needs double quotes
 */
public record ValueType<T>(String name, Function<String, T> parser, Function<T, String> formatter, boolean quoted) {

    public static final ValueType<String> STRING = new ValueType<>("string", s -> s, s -> s, true);

    public static final ValueType<Integer> INT = new ValueType<>("integer", s -> {
        try {
            return Integer.valueOf(s.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
    }, String::valueOf, false);

    public static final ValueType<Long> LONG = new ValueType<>("integer", s -> {
        try {
            return Long.valueOf(s.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
    }, String::valueOf, false);

    public static final ValueType<Double> DOUBLE = new ValueType<>("number", s -> {
        try {
            double d = Double.parseDouble(s.strip());
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("not a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }, String::valueOf, false);

    public static final ValueType<Boolean> BOOLEAN = new ValueType<>("boolean", s -> switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> throw new IllegalArgumentException("not a boolean (true or false)");
    }, String::valueOf, false);

    public static final ValueType<Path> PATH = new ValueType<>("path", s -> {
        if (s.isBlank()) {
            throw new IllegalArgumentException("empty path");
        }
        return Path.of(s.strip());
    }, Path::toString, true);

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /** The longest duration a setting may hold; far beyond any sensible value, far below overflow. */
    static final Duration MAX_DURATION = Duration.ofDays(36_500);

    /** "250ms", "30s", "5m", "2h", "7d", or ISO-8601 ("PT30S"); whole milliseconds, at most 100 years. */
    public static final ValueType<Duration> DURATION_TYPE = new ValueType<>("duration", ValueType::parseDuration,
            ValueType::formatDuration, true);

    private static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        Duration d;
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            }
        } catch (RuntimeException e) { // unparsable, or a number too large for a long or a Duration
            throw new IllegalArgumentException("not a duration (e.g. 250ms, 30s, 5m, 2h, 7d)");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration");
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration longer than 36500d");
        }
        if (d.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("duration finer than a millisecond");
        }
        return d;
    }

    /** A closed set of lower-case words, e.g. {@code auto|cpu|gpu}. */
    public static <E extends Enum<E>> ValueType<E> enumOf(Class<E> type) {
        return new ValueType<>("one of " + words(type), s -> {
            try {
                return Enum.valueOf(type, s.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not one of " + words(type));
            }
        }, e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'), true);
    }

    private static <E extends Enum<E>> String words(Class<E> type) {
        StringBuilder b = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            b.append(b.length() == 0 ? "" : "|").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return b.toString();
    }

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0 && ms != 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0 && ms != 0) return ms / 60_000L + "m";
        if (ms % 1000L == 0) return ms / 1000L + "s";
        return ms + "ms";
    }

    public T parse(String text) {
        return parser.apply(text);
    }

    public String format(T value) {
        return formatter.apply(value);
    }
}
