package dev.cpt.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) inside this JVM,
 * listening on 127.0.0.1 only.
 *
 * <p>Its data lives in {@code dir}: the storage is formatted on the first start only, so a later
 * start on the same directory finds its topics, records and committed offsets again. The
 * ports are remembered in the directory too, so clients that saved the bootstrap address keep
 * working across restarts when the ports were picked at random.
 *
 * <p>A fault inside the broker halts the JVM (Kafka's fatal-error handler): run it in the process
 * that owns the data, not inside a library user's process.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String HOST = "127.0.0.1";

    private final Path dir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private final KafkaRaftServer server;
    private boolean closed;

    private EmbeddedBroker(Path dir, boolean deleteOnClose, int brokerPort, int controllerPort, KafkaRaftServer server) {
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.server = server;
    }

    /**
     * Starts a broker on {@code dir}, formatting it on first use.
     *
     * @param brokerPort client port, 0 = the port used last time in this directory, else a free one
     * @param controllerPort KRaft controller port, same rule
     * @param overrides extra broker properties (tests shorten time-outs with them)
     */
    public static EmbeddedBroker start(Path dir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        return start(dir, false, brokerPort, controllerPort, overrides);
    }

    /** A throw-away broker on a fresh temporary directory that is deleted on {@link #close()}: for tests. */
    public static EmbeddedBroker startTemporary() {
        try {
            return start(Files.createTempDirectory("cpt-broker-"), true, 0, 0, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedBroker start(Path dir, boolean deleteOnClose, int brokerPort, int controllerPort,
                                        Map<String, String> overrides) {
        try {
            Files.createDirectories(dir);
            Properties remembered = readPorts(dir);
            int bp = choosePort(brokerPort, remembered.getProperty("broker.port"));
            int cp = choosePort(controllerPort, remembered.getProperty("controller.port"));
            if (cp == bp) {
                cp = freePort();
            }
            Properties props = brokerProperties(dir, bp, cp);
            overrides.forEach(props::setProperty);
            Path propsFile = dir.resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(propsFile)) {
                props.store(w, "written by cpt at every start; edits are overwritten");
            }
            formatOnce(dir, propsFile);
            Map<String, Object> cfg = new HashMap<>();
            props.forEach((k, v) -> cfg.put((String) k, v));
            long t0 = System.nanoTime();
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(cfg, false), Time.SYSTEM);
            server.startup(); // returns once the broker is registered and unfenced
            writePorts(dir, bp, cp);
            log.info("embedded Kafka broker up on {}:{} (data {}) in {} ms", HOST, bp, dir, (System.nanoTime() - t0) / 1_000_000);
            return new EmbeddedBroker(dir, deleteOnClose, bp, cp, server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare embedded Kafka broker in " + dir + ": " + e.getMessage(), e);
        }
    }

    static Properties brokerProperties(Path dir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("logs").toString());
        // one node: every internal topic must have replication 1 / min.isr 1, or groups and transactions hang
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("num.partitions", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // cpt creates its topics explicitly, with the configured partitions and retention
        p.setProperty("auto.create.topics.enable", "false");
        // the 128 MiB default OOMs a small heap
        p.setProperty("log.cleaner.dedupe.buffer.size", "2097152");
        return p;
    }

    private static void formatOnce(Path dir, Path propsFile) {
        // re-formatting with a new cluster id would fail, and would lose the data: format only once
        if (Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try {
            rc = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
        }
        if (rc != 0) {
            throw new IllegalStateException("cannot format Kafka storage in " + dir + ": " + out.toString(StandardCharsets.UTF_8));
        }
    }

    private static int choosePort(int configured, String remembered) throws IOException {
        if (configured != 0) {
            return configured;
        }
        if (remembered != null) {
            int port = Integer.parseInt(remembered);
            if (isFree(port)) {
                return port;
            }
        }
        return freePort();
    }

    private static Properties readPorts(Path dir) throws IOException {
        Properties p = new Properties();
        Path f = dir.resolve("ports.properties");
        if (Files.exists(f)) {
            try (var r = Files.newBufferedReader(f)) {
                p.load(r);
            }
        }
        return p;
    }

    private static void writePorts(Path dir, int brokerPort, int controllerPort) throws IOException {
        Properties p = new Properties();
        p.setProperty("broker.port", String.valueOf(brokerPort));
        p.setProperty("controller.port", String.valueOf(controllerPort));
        try (Writer w = Files.newBufferedWriter(dir.resolve("ports.properties"))) {
            p.store(w, "ports of the embedded broker, reused at the next start when free");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The address the broker of {@code dir} used last, so that commands such as {@code cpt push}
     * find a running {@code cpt standalone} on the same data directory without configuration.
     */
    public static java.util.Optional<String> lastBootstrapServers(Path dir) {
        try {
            String port = readPorts(dir).getProperty("broker.port");
            return port == null ? java.util.Optional.empty() : java.util.Optional.of(HOST + ":" + port);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dir;
    }

    /** Stops the broker and waits until its logs are flushed and closed; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        log.info("embedded Kafka broker stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
        if (deleteOnClose) {
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path p) {
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", p, e.getMessage());
        }
    }
}
