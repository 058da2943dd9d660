package dev.cpt.app.cli;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.ConfigDocs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/** {@code cpt config show|defaults}. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Inspect the configuration.",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Defaults.class})
public final class ConfigCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the effective configuration and where each value came from (default, file, env, --set).")
    static final class Show implements Runnable {

        @Mixin
        ConfigOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Config config = options.load();
            PrintWriter out = spec.commandLine().getOut();
            int width = config.entries().stream().mapToInt(e -> e.setting().key().length()).max().orElse(0);
            for (Config.Entry e : config.entries()) {
                out.printf("%-" + width + "s = %s   [%s]%n", e.setting().key(), e.display(), e.source().describe());
            }
            out.flush();
        }
    }

    @Command(name = "defaults", mixinStandardHelpOptions = true,
            description = "Print every key with its default and doc as YAML (this is config/cpt.yaml).")
    static final class Defaults implements Runnable {

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().print(ConfigDocs.defaultsYaml());
            spec.commandLine().getOut().flush();
        }
    }
}
