package dev.cpt.app.standalone;

import picocli.CommandLine.Command;

import java.util.EnumSet;
import java.util.Set;

/** {@code cpt train}: the trainer alone, against the cluster in {@code cpt.kafka.bootstrap.servers}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Run the trainer alone against the Kafka cluster in cpt.kafka.bootstrap.servers: it resumes from the newest",
                "checkpoint in cpt.store.dir, trains on cpt.sequences forever, evaluates on cpt.heldout, checkpoints, and reports",
                "on cpt.telemetry and /metrics. Prints 'cpt ready: <url>' once open; Ctrl-C writes a last checkpoint and stops."})
public final class TrainCommand extends PartCommand {

    @Override
    Set<Standalone.Part> parts() {
        return EnumSet.of(Standalone.Part.TRAINER);
    }
}
