package dev.cpt.app.standalone;

import picocli.CommandLine.Command;

import java.util.EnumSet;
import java.util.Set;

/** {@code cpt ingest}: the ingest topology alone, against the cluster in {@code cpt.kafka.bootstrap.servers}. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Run the ingest alone (cpt.docs -> cpt.sequences, cpt.heldout, cpt.docs.dlq) against the Kafka cluster",
                "in cpt.kafka.bootstrap.servers, with /healthz and /metrics. Creates missing topics.",
                "Prints 'cpt ready: <url>' once running; Ctrl-C or SIGTERM stops it after committing."})
public final class IngestCommand extends PartCommand {

    @Override
    Set<Standalone.Part> parts() {
        return EnumSet.of(Standalone.Part.INGEST);
    }
}
