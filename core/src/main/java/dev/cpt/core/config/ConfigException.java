package dev.cpt.core.config;

import java.util.List;

/** A configuration problem a user must fix before cpt starts; the message says what and how. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** Several problems at once, so that one run shows them all. */
    public static ConfigException of(List<String> problems) {
        if (problems.size() == 1) {
            return new ConfigException(problems.get(0));
        }
        return new ConfigException(problems.size() + " configuration problems:\n  - " + String.join("\n  - ", problems));
    }
}
