package dev.cpt.app.standalone;

import dev.cpt.app.cli.ConfigOptions;
import dev.cpt.core.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.EnumSet;

/** {@code cpt ingest}: the ingest topology alone, against the cluster in {@code cpt.kafka.bootstrap.servers}. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Run the ingest alone (cpt.docs -> cpt.sequences, cpt.heldout, cpt.docs.dlq) against the Kafka cluster",
                "in cpt.kafka.bootstrap.servers, with /healthz and /metrics. Creates missing topics.",
                "Prints 'cpt ready: <url>' once running; Ctrl-C or SIGTERM stops it after committing."})
public final class IngestCommand implements Runnable {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Config config = options.load();
        StandaloneCommand.runUntilStopped(spec, config, Standalone.start(config, EnumSet.of(Standalone.Part.INGEST), false));
    }
}
