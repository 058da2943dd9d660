package dev.cpt.app.standalone;

import dev.cpt.app.Main;
import dev.cpt.core.config.Config;
import dev.cpt.core.config.CoreSettings;
import dev.cpt.core.config.KafkaSettings;
import dev.cpt.core.config.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The trainer of {@code cpt standalone}, run as a child {@code cpt train} process.
 *
 * <p>Why a process: with the broker and Kafka Streams (RocksDB) in the same JVM, libtorch's backward
 * pass returned non-finite gradients on about one step in five, while the same data and seed in a
 * JVM of its own never did (measured, docs/architecture.md). A process of its own also keeps the
 * trainer's native memory apart, which is how it is deployed anyway.
 */
final class TrainerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainerProcess.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The heap-sizing arguments bin/jvm-options recognizes in JAVA_OPTS. */
    private static final Pattern HEAP_ARGUMENT = Pattern.compile("-Xm[sx]\\S+|-XX:[A-Za-z]*(RAMPercentage|HeapSize)=\\S+");

    private final Process process;
    private final String url;

    private TrainerProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts {@code cpt train} with this process's configuration and waits for its ready line. */
    static TrainerProcess start(Config config, String bootstrap, Duration timeout) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // the heap ./cpt would give `cpt train` (bin/jvm-options sizes it for train as for standalone), pre-touched: a
        // fixed, resident heap, so that the child's RSS growth means native memory, not the heap growing
        cmd.addAll(heapArguments(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        cmd.addAll(List.of("-XX:+AlwaysPreTouch", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "train"));
        Map<String, String> secrets = new HashMap<>();
        for (Config.Entry e : config.entries()) {
            if (e.source() instanceof Source.Default) {
                continue;
            }
            if (e.setting().secret()) { // never on a command line, where ps shows it: in the child's environment
                secrets.put(e.setting().envName(), String.valueOf(config.get(e.setting())));
            } else {
                cmd.add("--set");
                cmd.add(e.setting().key() + "=" + e.display());
            }
        }
        cmd.addAll(List.of("--set", KafkaSettings.BOOTSTRAP_SERVERS.key() + "=" + bootstrap,
                "--set", CoreSettings.HTTP_HOST.key() + "=127.0.0.1", "--set", CoreSettings.HTTP_PORT.key() + "=0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(secrets);
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("DJL_OFFLINE", "true");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the trainer process: " + e.getMessage(), e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String ready;
        try {
            ready = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            ready = null;
        }
        if (ready == null || !ready.startsWith("cpt ready: ")) {
            p.destroyForcibly();
            throw new IllegalStateException("the trainer process did not start (see its log above); exit " +
                    (p.isAlive() ? "none yet" : String.valueOf(p.exitValue())));
        }
        Thread drain = new Thread(() -> out.lines().forEach(line -> log.info("trainer: {}", line)), "cpt-trainer-stdout");
        drain.setDaemon(true);
        drain.start();
        log.info("trainer process {} ready at {}", p.pid(), ready.substring("cpt ready: ".length()));
        return new TrainerProcess(p, ready.substring("cpt ready: ".length()));
    }

    /**
     * The arguments among a JVM's that size its heap ({@code -Xms}, {@code -Xmx}, {@code -XX:...RAMPercentage=},
     * {@code -XX:...HeapSize=}), in their order: this process's, which bin/jvm-options (or the user's JAVA_OPTS) chose
     * as it would for {@code cpt train}.
     */
    static List<String> heapArguments(List<String> jvmArguments) {
        return jvmArguments.stream().filter(a -> HEAP_ARGUMENT.matcher(a).matches()).toList();
    }

    /**
     * The trainer's own meters ({@code cpt_*} families only: the JVM meters of the child would clash
     * with this process's), for this process's {@code /metrics}; empty when it does not answer.
     */
    String cptMetrics() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.ofString());
            StringBuilder b = new StringBuilder();
            for (String line : r.body().split("\n")) {
                String name = line.startsWith("# ") ? line.split(" ", 4).length > 2 ? line.split(" ", 4)[2] : "" : line;
                if (name.startsWith("cpt_")) {
                    b.append(line).append('\n');
                }
            }
            return b.toString();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The trainer process's HTTP base URL. */
    String url() {
        return url;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM: the trainer writes a last checkpoint and exits; forced after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                log.warn("the trainer process did not stop within 30 s; killing it");
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
