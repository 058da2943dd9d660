package dev.cpt.app.standalone;

import picocli.CommandLine.Command;

import java.util.EnumSet;
import java.util.Set;

/** {@code cpt monitor}: metrics and the checkpoint registry, against the cluster in {@code cpt.kafka.bootstrap.servers}. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Run the monitor alone against the Kafka cluster in cpt.kafka.bootstrap.servers: it reads cpt.telemetry,",
                "cpt.checkpoints and cpt.docs.dlq, exports learning, forgetting, effective-LR and health meters on /metrics,",
                "gates decayed checkpoints into the 'latest' alias, and serves the checkpoint store in cpt.store.dir over",
                "/v1 (bearer tokens from cpt.http.tokens.file or CPT_HTTP_TOKENS). Prints 'cpt ready: <url>' once up."})
public final class MonitorCommand extends PartCommand {

    @Override
    Set<Standalone.Part> parts() {
        return EnumSet.of(Standalone.Part.MONITOR);
    }
}
