package dev.cpt.app.standalone;

import dev.cpt.app.cli.ConfigOptions;
import dev.cpt.core.config.BranchSettings;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.CoreSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code cpt standalone}: everything in one process until Ctrl-C or SIGTERM. */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = {"Run every part of cpt in this process: an embedded Kafka broker (unless cpt.kafka.bootstrap.servers is set),",
                "the topics, the ingest, and an HTTP server with /healthz and /metrics.",
                "Prints 'cpt ready: <url>' on stdout once everything is up; Ctrl-C or SIGTERM stops it cleanly."})
public final class StandaloneCommand implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(StandaloneCommand.class);

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--demo",
            description = {"Push built-in synthetic streams (demo-weather first, then demo-arith) so that there is something to learn;",
                    "unless a branch trigger is configured, fork a decayed branch every 250000 fresh tokens."})
    boolean demo;

    @picocli.CommandLine.Option(names = "--demo-rate", paramLabel = "DOCS_PER_SECOND", defaultValue = "50",
            description = "Documents per second the demo pushes (default: ${DEFAULT-VALUE}).")
    double demoRate;

    /** With --demo and no branch trigger configured: a branch about every minute of CPU training of the small model. */
    static final long DEMO_BRANCH_TOKENS = 250_000;

    private static boolean isDefault(Config config, dev.cpt.core.config.Setting<?> setting) {
        return config.entries().stream().filter(e -> e.setting().key().equals(setting.key()))
                .allMatch(e -> e.source() instanceof dev.cpt.core.config.Source.Default);
    }

    @Override
    public void run() {
        if (!(demoRate > 0 && demoRate <= 100_000)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--demo-rate must be between 0 (exclusive) and 100000 documents/s, got " + demoRate);
        }
        Config config = options.load();
        if (demo && isDefault(config, BranchSettings.EVERY_TOKENS) && isDefault(config, BranchSettings.EVERY_MINUTES)) {
            // the demo should show what cpt is for: decayed checkpoints appearing while it trains
            options.sets.add(0, BranchSettings.EVERY_TOKENS.key() + "=" + DEMO_BRANCH_TOKENS);
            config = options.load();
        }
        Standalone standalone = Standalone.start(config);
        if (demo) {
            standalone.startDemo(config, demoRate);
        }
        runUntilStopped(spec, config, standalone);
    }

    /**
     * Prints the ready line, then blocks until Ctrl-C or SIGTERM, when a shutdown hook closes
     * {@code running} within {@code cpt.shutdown.timeout}.
     */
    static void runUntilStopped(CommandSpec spec, Config config, Standalone running) {
        CountDownLatch stopped = new CountDownLatch(1);
        long timeoutMs = config.get(CoreSettings.SHUTDOWN_TIMEOUT).toMillis();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            Thread closing = new Thread(running::close, "cpt-shutdown");
            closing.start();
            try {
                closing.join(timeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (closing.isAlive()) {
                log.warn("shutdown took longer than {} ms (cpt.shutdown.timeout); exiting anyway", timeoutMs);
            } else {
                log.info("stopped cleanly");
            }
            stopped.countDown();
        }, "cpt-shutdown-hook"));
        spec.commandLine().getOut().println("cpt ready: " + running.url());
        spec.commandLine().getOut().flush();
        try {
            // the shutdown hook ends this wait; the JVM exits when the hook returns
            while (!stopped.await(1, TimeUnit.HOURS)) {
                log.debug("running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
