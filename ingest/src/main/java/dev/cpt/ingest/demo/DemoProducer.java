package dev.cpt.ingest.demo;

import dev.cpt.core.format.DocHeaders;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;

/**
 * Pushes a {@link DemoPlan} to the documents topic on a background thread, at a steady rate, the
 * way a live producer would: the first stream, then the next. Progress is saved in
 * {@code progressFile} after every acknowledged batch, so a restarted demo continues with new
 * documents instead of re-sending ones the ingest would drop as duplicates.
 */
public final class DemoProducer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoProducer.class);
    private static final long SEED = 20261123L;

    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long pushed;

    private DemoProducer(KafkaProducer<byte[], byte[]> producer, DemoPlan plan, String topic, double docsPerSecond,
                         Path progressFile) {
        this.producer = producer;
        this.pushed = readProgress(progressFile);
        this.thread = new Thread(() -> run(plan, topic, docsPerSecond, progressFile), "cpt-demo-producer");
        this.thread.setDaemon(true);
    }

    /** Starts pushing; returns at once. */
    public static DemoProducer start(String bootstrapServers, String topic, DemoPlan plan, double docsPerSecond, Path progressFile) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "cpt-demo",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer());
        DemoProducer demo = new DemoProducer(producer, plan, topic, docsPerSecond, progressFile);
        demo.thread.start();
        return demo;
    }

    /** Documents of the plan pushed so far, over every run on this progress file. */
    public long pushed() {
        return pushed;
    }

    private void run(DemoPlan plan, String topic, double docsPerSecond, Path progressFile) {
        Iterator<DemoDocument> docs = plan.documents(SEED);
        for (long i = 0; i < pushed && docs.hasNext(); i++) {
            docs.next(); // already pushed by an earlier run
        }
        if (!docs.hasNext()) {
            log.info("demo: all {} documents of {} were pushed by earlier runs", plan.totalDocuments(), plan);
            return;
        }
        log.info("demo: pushing {} at {} documents/s, from document {}", plan, docsPerSecond, pushed);
        long intervalNanos = (long) (1e9 / docsPerSecond);
        long next = System.nanoTime();
        String stream = null;
        while (running && docs.hasNext()) {
            DemoDocument d = docs.next();
            if (!d.stream().equals(stream)) {
                log.info("demo: now pushing stream {}", d.stream());
                stream = d.stream();
            }
            RecordHeaders headers = new RecordHeaders();
            headers.add(DocHeaders.FORMAT, DocHeaders.FORMAT_TEXT.getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(topic, null, d.stream().getBytes(StandardCharsets.UTF_8),
                    d.text().getBytes(StandardCharsets.UTF_8), headers));
            pushed++;
            if (pushed % 50 == 0) {
                producer.flush();
                writeProgress(progressFile, pushed);
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
        producer.flush();
        writeProgress(progressFile, pushed);
        if (!docs.hasNext()) {
            log.info("demo: all {} documents pushed", plan.totalDocuments());
        }
    }

    private static long readProgress(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
            return Long.parseLong(p.getProperty("pushed", "0"));
        } catch (IOException | NumberFormatException e) {
            log.warn("demo: cannot read {} ({}); starting from the first document", file, e.toString());
            return 0;
        }
    }

    private static void writeProgress(Path file, long pushed) {
        Properties p = new Properties();
        p.setProperty("pushed", String.valueOf(pushed));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, "documents of the demo plan pushed and acknowledged");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save demo progress to " + file, e);
        }
    }

    /** Stops pushing after the current document; what was sent is flushed first. */
    @Override
    public void close() {
        running = false; // the thread notices within one document interval; no interrupt, so the flush completes
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
