package dev.cpt.core.config;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the effective {@link Config} from its sources, later wins: built-in defaults, a YAML
 * file, environment variables {@code CPT_<PART>_<SETTING>}, then {@code --set key=value}.
 *
 * <p>Every problem in every source is collected and reported at once: unknown keys (with the
 * nearest valid key suggested) and values that break their setting's rule (with the key, the
 * value, the source and the rule).
 */
public final class ConfigLoader {

    private static final String ENV_PREFIX = "CPT_";

    private ConfigLoader() {
    }

    /**
     * @param file YAML with flat ({@code cpt.kafka.topic.prefix: x}) or nested keys, if given
     * @param env the process environment (only {@code CPT_*} variables are read)
     * @param sets {@code key=value} assignments from the command line, in order
     * @throws ConfigException listing every problem found
     */
    public static Config load(Optional<Path> file, Map<String, String> env, List<String> sets) {
        Map<String, Config.Entry> entries = new LinkedHashMap<>();
        for (Config.Entry e : Config.defaults().entries()) {
            entries.put(e.setting().key(), e);
        }
        List<String> problems = new ArrayList<>();
        file.ifPresent(f -> readYaml(f, problems).forEach((key, text) ->
                apply(entries, key, text, new Source.File(f), problems)));
        env.entrySet().stream()
                .filter(e -> e.getKey().startsWith(ENV_PREFIX))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> applyEnv(entries, e.getKey(), e.getValue(), problems));
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                problems.add("--set needs key=value, got '" + set + "'");
                continue;
            }
            apply(entries, set.substring(0, eq).strip(), set.substring(eq + 1), Source.COMMAND_LINE, problems);
        }
        if (!problems.isEmpty()) {
            throw ConfigException.of(problems);
        }
        return new Config(entries);
    }

    private static void apply(Map<String, Config.Entry> entries, String key, String text, Source source, List<String> problems) {
        Optional<Setting<?>> setting = Settings.byKey(key);
        if (setting.isEmpty()) {
            problems.add("unknown key " + key + " (from " + source.describe() + ")" + suggestion(key));
            return;
        }
        try {
            Setting<?> s = setting.get();
            entries.put(key, new Config.Entry(s, s.parse(text, source), source));
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
    }

    private static void applyEnv(Map<String, Config.Entry> entries, String variable, String text, List<String> problems) {
        Optional<Setting<?>> setting = Settings.all().stream().filter(s -> s.envName().equals(variable)).findFirst();
        if (setting.isEmpty()) {
            String asKey = variable.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            String hint = Suggest.nearest(asKey, Settings.all().stream().map(Setting::key).toList())
                    .map(k -> "; did you mean " + Settings.byKey(k).orElseThrow().envName() + " (" + k + ")?")
                    .orElse("; cpt reads every CPT_* variable as a setting, see config/cpt.yaml");
            problems.add("unknown environment variable " + variable + hint);
            return;
        }
        apply(entries, setting.get().key(), text, new Source.Env(variable), problems);
    }

    private static String suggestion(String key) {
        return Suggest.nearest(key, Settings.all().stream().map(Setting::key).toList())
                .map(k -> "; did you mean " + k + "?")
                .orElse("; see config/cpt.yaml for every key");
    }

    private static Map<String, String> readYaml(Path file, List<String> problems) {
        Map<String, String> flat = new LinkedHashMap<>();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            problems.add("cannot read config file " + file + ": " + e.getMessage());
            return flat;
        }
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(text);
        } catch (YamlEngineException e) {
            problems.add("config file " + file + " is not valid YAML: " + e.getMessage());
            return flat;
        }
        if (root == null) {
            return flat;
        }
        if (!(root instanceof Map<?, ?> map)) {
            problems.add("config file " + file + " must be a YAML mapping of keys to values, got " + root.getClass().getSimpleName());
            return flat;
        }
        flatten("", map, flat, file, problems);
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out, Path file, List<String> problems) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                flatten(key, nested, out, file, problems);
            } else if (v instanceof List<?>) {
                problems.add("key " + key + " in " + file + " is a list; cpt settings are single values");
            } else {
                out.put(key, v == null ? "" : String.valueOf(v));
            }
        }
    }
}
