package dev.cpt.app.cli;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code --config FILE} and {@code --set key=value}, shared by every command that reads configuration. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (see config/cpt.yaml for every key).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one setting; repeatable; wins over the file and the environment.")
    public List<String> sets = new ArrayList<>();

    /** Loads the effective configuration from defaults, the file, this process's environment and the overrides. */
    public Config load() {
        return load(System.getenv());
    }

    Config load(Map<String, String> env) {
        return ConfigLoader.load(Optional.ofNullable(file), env, sets);
    }
}
