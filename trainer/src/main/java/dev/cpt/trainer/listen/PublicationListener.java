package dev.cpt.trainer.listen;

import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.format.Json;
import dev.cpt.core.store.Manifest;
import dev.cpt.trainer.Trainer;
import dev.cpt.trainer.TrainerListeners;
import dev.cpt.trainer.branch.Brancher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Announces every durable checkpoint on {@code cpt.checkpoints} (acks=all: the registry's history
 * must not lose one) and keeps the branch meters: {@code cpt.branch.published}, {@code cpt.branch.steps},
 * {@code cpt.branch.active}, {@code cpt.branch.loss.predicted} and {@code cpt.branch.loss.actual}.
 * A failed announcement is logged; the store stays the source of truth.
 */
public final class PublicationListener implements TrainerListeners, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PublicationListener.class);

    private final KafkaProducer<String, CheckpointEvent> producer;
    private final String topic;
    private final Counter publishedMain;
    private final Counter publishedDecayed;
    private final Counter branchSteps;
    private final Counter aborted;
    private final double[] predicted = {Double.NaN};
    private final double[] actual = {Double.NaN};
    private final AtomicReference<Trainer> trainer = new AtomicReference<>();

    public PublicationListener(String bootstrapServers, String topic, MeterRegistry registry) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "cpt-trainer-checkpoints",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000),
                new StringSerializer(), Json.serde(CheckpointEvent.class).serializer());
        publishedMain = Counter.builder("cpt.checkpoints.published").description("Checkpoints made durable and announced")
                .tag("kind", "main").register(registry);
        publishedDecayed = Counter.builder("cpt.checkpoints.published").description("Checkpoints made durable and announced")
                .tag("kind", "decayed").register(registry);
        branchSteps = Counter.builder("cpt.branch.steps").description("Decay steps taken by branches").register(registry);
        aborted = Counter.builder("cpt.branch.aborted").description("Branches abandoned after non-finite steps or a failed write")
                .register(registry);
        Gauge.builder("cpt.branch.loss.predicted", predicted, p -> p[0])
                .description("Mean eval loss the loss law predicted for the last branch before it ran (NaN: no prediction)")
                .register(registry);
        Gauge.builder("cpt.branch.loss.actual", actual, a -> a[0])
                .description("Mean eval loss the last branch reached").register(registry);
        Gauge.builder("cpt.branch.active", trainer, t -> t.get() != null && t.get().activeBranch().isPresent() ? 1 : 0)
                .description("1 while a branch decays (the main run is paused)").register(registry);
        Gauge.builder("cpt.branch.queue.size", trainer, t -> t.get() == null ? 0 : t.get().branchRequests().size())
                .description("Branch requests waiting").register(registry);
    }

    @Override
    public void opened(Trainer t) {
        trainer.set(t);
    }

    @Override
    public void published(Trainer t, Manifest manifest, String path, String manifestSha256) {
        (manifest.kind() == Manifest.Kind.MAIN ? publishedMain : publishedDecayed).increment();
        if (manifest.kind() == Manifest.Kind.DECAYED) {
            predicted[0] = manifest.predictedLoss() == null ? Double.NaN : manifest.predictedLoss();
            actual[0] = manifest.meanEvalLoss();
        }
        try {
            producer.send(new ProducerRecord<>(topic, manifest.id(), CheckpointEvent.of(manifest, path, manifestSha256)), (md, e) -> {
                if (e != null) {
                    log.warn("checkpoint {} is durable but its announcement on {} failed: {}", manifest.id(), topic, e.toString());
                }
            });
        } catch (RuntimeException e) {
            log.warn("checkpoint {} is durable but could not be announced on {}: {}", manifest.id(), topic, e.toString());
        }
    }

    @Override
    public void branchStepped(Trainer t, Brancher.Status status) {
        if (status == Brancher.Status.STEPPED || status == Brancher.Status.FINISHED) {
            branchSteps.increment();
        } else if (status == Brancher.Status.ABORTED) {
            aborted.increment();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
