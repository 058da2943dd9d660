package dev.cpt.core.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of every setting cpt knows. Each part's settings live in one holder class of
 * public static final {@link Setting} fields; a new holder is added to {@link #HOLDERS} and
 * nowhere else.
 */
public final class Settings {

    private static final List<Class<?>> HOLDERS = List.of(CoreSettings.class, KafkaSettings.class, IngestSettings.class, TrainerSettings.class,
            BranchSettings.class, MonitorSettings.class);

    private static final Map<String, Setting<?>> BY_KEY = collect();

    private Settings() {
    }

    /** All settings, sorted by key. */
    public static List<Setting<?>> all() {
        return List.copyOf(BY_KEY.values());
    }

    public static Optional<Setting<?>> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    private static Map<String, Setting<?>> collect() {
        List<Setting<?>> found = new ArrayList<>();
        for (Class<?> holder : HOLDERS) {
            for (Field f : holder.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
                    try {
                        found.add((Setting<?>) f.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        found.sort(Comparator.comparing(Setting::key));
        Map<String, Setting<?>> byKey = new LinkedHashMap<>();
        for (Setting<?> s : found) {
            if (byKey.put(s.key(), s) != null) {
                throw new IllegalStateException("setting defined twice: " + s.key());
            }
        }
        return byKey;
    }
}
