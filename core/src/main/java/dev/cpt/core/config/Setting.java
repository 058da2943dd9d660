package dev.cpt.core.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One configuration setting, defined once: its key, type, default, one-line doc and rule.
 * Everything else (YAML defaults file, environment variable name, {@code cpt config show},
 * error messages) is derived from this definition.
 *
 * @param key {@code cpt.<part>.<setting>}, lower case, dot separated
 * @param secret never printed by {@code cpt config show}
 */
public record Setting<T>(String key, ValueType<T> type, T defaultValue, String doc, Rule<T> rule, boolean secret) {

    private static final Pattern KEY = Pattern.compile("cpt(\\.[a-z][a-z0-9-]*){2,}");

    public Setting {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("setting key must look like cpt.<part>.<setting>: " + key);
        }
        if (doc.isBlank() || doc.contains("\n")) {
            throw new IllegalArgumentException("setting " + key + " needs a one-line doc");
        }
        if (!rule.accepts(defaultValue)) {
            throw new IllegalArgumentException("default of " + key + " breaks its own rule: " + rule.description());
        }
    }

    public static <T> Setting<T> of(String key, ValueType<T> type, T defaultValue, String doc, Rule<T> rule) {
        return new Setting<>(key, type, defaultValue, doc, rule, false);
    }

    public static <T> Setting<T> of(String key, ValueType<T> type, T defaultValue, String doc) {
        return new Setting<>(key, type, defaultValue, doc, Rule.any(), false);
    }

    /** {@code cpt.kafka.bootstrap.servers} -> {@code CPT_KAFKA_BOOTSTRAP_SERVERS}. */
    public String envName() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String formatDefault() {
        return type.format(defaultValue);
    }

    /**
     * Parses and validates text from any source.
     *
     * @throws ConfigException naming the key, the value, the source and the rule
     */
    public T parse(String text, Source source) {
        T value;
        try {
            value = type.parse(text);
        } catch (RuntimeException e) { // a parser's words for what is wrong with the text
            throw new ConfigException(problem(text, source, e.getMessage() + "; expected " + type.name()
                    + (rule.description().equals("any value") ? "" : ", " + rule.description())));
        }
        if (!rule.accepts(value)) {
            throw new ConfigException(problem(text, source, "must be " + rule.description()));
        }
        return value;
    }

    private String problem(String text, Source source, String why) {
        return "invalid value for " + key + ": '" + (secret ? "***" : text) + "' (from " + source.describe() + ") " + why;
    }
}
