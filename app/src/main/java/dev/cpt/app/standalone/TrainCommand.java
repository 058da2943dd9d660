package dev.cpt.app.standalone;

import dev.cpt.app.cli.ConfigOptions;
import dev.cpt.core.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.EnumSet;

/** {@code cpt train}: the trainer alone, against the cluster in {@code cpt.kafka.bootstrap.servers}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Run the trainer alone against the Kafka cluster in cpt.kafka.bootstrap.servers: it resumes from the newest",
                "checkpoint in cpt.store.dir, trains on cpt.sequences forever, evaluates on cpt.heldout, checkpoints, and reports",
                "on cpt.telemetry and /metrics. Prints 'cpt ready: <url>' once open; Ctrl-C writes a last checkpoint and stops."})
public final class TrainCommand implements Runnable {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Config config = options.load();
        StandaloneCommand.runUntilStopped(spec, config, Standalone.start(config, EnumSet.of(Standalone.Part.TRAINER), false));
    }
}
