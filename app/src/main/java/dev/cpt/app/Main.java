package dev.cpt.app;

import dev.cpt.app.cli.ConfigCommand;
import dev.cpt.app.cli.VersionCommand;
import dev.cpt.app.standalone.StandaloneCommand;
import dev.cpt.core.config.ConfigException;
import dev.cpt.core.kafka.KafkaSetupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cpt} command. */
@Command(name = "cpt",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Streaming continual pretraining: documents in through Kafka, one model trained forever, decayed checkpoints out.",
        subcommands = {StandaloneCommand.class, dev.cpt.app.standalone.IngestCommand.class, dev.cpt.app.standalone.TrainCommand.class,
                dev.cpt.app.standalone.MonitorCommand.class, ConfigCommand.class, dev.cpt.app.cli.PushCommand.class,
                dev.cpt.app.cli.PullCommand.class, dev.cpt.app.cli.BenchCommand.class, dev.cpt.app.experiment.ExperimentCommand.class,
                VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for a configuration the user must fix. */
    public static final int EXIT_CONFIG = 2;
    /** Exit code when Kafka cannot be set up. */
    public static final int EXIT_KAFKA = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with cpt's error handling: config and Kafka problems print one clear message, no stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("cpt: configuration error: " + e.getMessage());
                return EXIT_CONFIG;
            }
            if (e instanceof KafkaSetupException) {
                cmd.getErr().println("cpt: Kafka error: " + e.getMessage());
                return EXIT_KAFKA;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
