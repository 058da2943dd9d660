package dev.cpt.monitor;

import dev.cpt.core.config.Config;
import dev.cpt.core.config.IngestSettings;
import dev.cpt.core.config.MonitorSettings;
import dev.cpt.core.config.TrainerSettings;
import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.format.TelemetryEvent;
import dev.cpt.core.kafka.Topics;
import dev.cpt.core.metrics.TelemetryMeters;
import dev.cpt.core.store.Manifest;
import dev.cpt.monitor.events.EventReader;
import dev.cpt.monitor.forgetting.Forgetting;
import dev.cpt.monitor.forgetting.ForgettingMeters;
import dev.cpt.monitor.forgetting.LossMatrix;
import dev.cpt.monitor.health.LagProbe;
import dev.cpt.monitor.health.MonitorMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The monitor's metrics side: reads {@code cpt.telemetry}, {@code cpt.checkpoints} and
 * {@code cpt.docs.dlq} (never the trainer's memory), keeps the loss matrix, and updates the
 * learning, forgetting and health meters; reads consumer lag every {@code cpt.monitor.lag.interval}.
 * Each decayed checkpoint event is also handed to {@code onDecayed} (the promotion gate).
 */
public final class MonitorService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MonitorService.class);

    private final EventReader reader;
    private final MonitorMeters health;
    private final Admin admin;
    private final ScheduledExecutorService lagTimer;
    private final AtomicReference<LossMatrix> matrix = new AtomicReference<>(new LossMatrix());
    private volatile long checkpointsSeen;

    private MonitorService(Config config, String bootstrap, MeterRegistry registry, Consumer<CheckpointEvent> onDecayed) {
        Topics topics = Topics.from(config);
        TelemetryMeters learning = new TelemetryMeters(registry);
        MonitorMeters health = new MonitorMeters(registry, System::currentTimeMillis);
        this.health = health;
        ForgettingMeters forgetting = new ForgettingMeters(registry);
        this.reader = new EventReader(bootstrap, topics, new EventReader.Sink() {
            @Override
            public void telemetry(TelemetryEvent e) {
                learning.update(e);
                health.telemetry(e);
            }

            @Override
            public void checkpoint(CheckpointEvent e) {
                forgetting.update(Forgetting.of(matrix.updateAndGet(m -> m.with(e))));
                health.checkpoint(e);
                checkpointsSeen++;
                if (e.kind() == Manifest.Kind.DECAYED) {
                    try {
                        onDecayed.accept(e);
                    } catch (RuntimeException ex) {
                        log.error("promotion of {} failed", e.id(), ex);
                    }
                }
            }

            @Override
            public void deadLetter(String reason) {
                health.deadLetter(reason);
            }
        });
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "cpt-monitor-admin"));
        LagProbe probe = new LagProbe(admin, Duration.ofSeconds(5));
        String trainerGroup = config.get(TrainerSettings.GROUP_ID);
        String ingestGroup = config.get(IngestSettings.APPLICATION_ID);
        this.lagTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cpt-monitor-lag");
            t.setDaemon(true);
            return t;
        });
        long every = config.get(MonitorSettings.LAG_INTERVAL).toMillis();
        lagTimer.scheduleWithFixedDelay(() -> {
            health.lag(trainerGroup, topics.sequences(), probe.lag(trainerGroup, topics.sequences()));
            health.lag(ingestGroup, topics.docs(), probe.lag(ingestGroup, topics.docs()));
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Starts reading; {@code onDecayed} is called on the reader's thread for every decayed checkpoint event, in order. */
    public static MonitorService start(Config config, String bootstrap, MeterRegistry registry, Consumer<CheckpointEvent> onDecayed) {
        return new MonitorService(config, bootstrap, registry, onDecayed);
    }

    /** The loss matrix and the forgetting report as JSON, for {@code GET /v1/forgetting}. */
    public String forgettingJson() {
        return new String(matrix.get().toJson(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Counts a promotion-gate decision. */
    public void promotion(boolean promoted) {
        health.promotion(promoted);
    }

    /** Checkpoint events read so far (tests and health). */
    public long checkpointsSeen() {
        return checkpointsSeen;
    }

    @Override
    public void close() {
        lagTimer.shutdownNow();
        reader.close();
        admin.close(Duration.ofSeconds(2));
    }
}
