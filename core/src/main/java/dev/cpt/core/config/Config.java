package dev.cpt.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective configuration: one typed value per known setting, and where it came from.
 * Immutable; build it with {@link ConfigLoader} or {@link #defaults()}.
 */
public final class Config {

    /** One effective value. */
    public record Entry(Setting<?> setting, Object value, Source source) {

        /** The value as text, the way the user would write it; secrets are masked. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        public String display() {
            return setting.secret() ? "***" : ((ValueType) setting.type()).format(value);
        }
    }

    private final Map<String, Entry> entries;

    Config(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static Config defaults() {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Setting<?> s : Settings.all()) {
            m.put(s.key(), new Entry(s, s.defaultValue(), Source.DEFAULT));
        }
        return new Config(m);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Entry e = entries.get(setting.key());
        if (e == null) {
            throw new IllegalArgumentException("not a registered setting: " + setting.key());
        }
        return (T) e.value();
    }

    public Source source(Setting<?> setting) {
        Entry e = entries.get(setting.key());
        if (e == null) {
            throw new IllegalArgumentException("not a registered setting: " + setting.key());
        }
        return e.source();
    }

    /** All entries sorted by key. */
    public List<Entry> entries() {
        return entries.values().stream().sorted(java.util.Comparator.comparing(e -> e.setting().key())).toList();
    }

    /** A copy with one value replaced, as if given with {@code --set}; validated like any other source. */
    public <T> Config with(Setting<T> setting, String text) {
        Map<String, Entry> m = new LinkedHashMap<>(entries);
        m.put(setting.key(), new Entry(setting, setting.parse(text, Source.COMMAND_LINE), Source.COMMAND_LINE));
        return new Config(m);
    }
}
