package dev.cpt.core.config;

/** Renders the catalogue as {@code config/cpt.yaml}: every key with its default and doc. */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    public static String defaultsYaml() {
        StringBuilder b = new StringBuilder();
        b.append("# cpt configuration: every key with its default and what it does.\n")
                .append("# Generated from the setting definitions in core (dev.cpt.core.config); `cpt config defaults` prints it.\n")
                .append("# Sources, later wins: these defaults -> --config FILE -> environment CPT_<PART>_<SETTING> -> --set key=value.\n");
        String part = "";
        for (Setting<?> s : Settings.all()) {
            String p = s.key().split("\\.")[1];
            if (!p.equals(part)) {
                b.append("\n# --- ").append(p).append(" ---\n");
                part = p;
            }
            b.append("\n# ").append(s.doc()).append('\n')
                    .append("# ").append(s.type().name())
                    .append(s.rule().description().equals("any value") ? "" : ", " + s.rule().description())
                    .append("; env ").append(s.envName()).append('\n')
                    .append(s.key()).append(": ").append(yamlScalar(s)).append('\n');
        }
        return b.toString();
    }

    private static String yamlScalar(Setting<?> s) {
        String text = s.formatDefault();
        if (!s.type().quoted()) {
            return text;
        }
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
