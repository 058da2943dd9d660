package dev.cpt.app.standalone;

import dev.cpt.app.cli.ConfigOptions;
import dev.cpt.core.config.Config;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Set;

/** A command that runs some parts of cpt against an existing cluster until Ctrl-C or SIGTERM. */
abstract class PartCommand implements Runnable {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    abstract Set<Standalone.Part> parts();

    @Override
    public void run() {
        Config config = options.load();
        StandaloneCommand.runUntilStopped(spec, config, Standalone.start(config, parts(), false));
    }
}
