package dev.cpt.app.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus server for tests: {@code /usr/bin/prometheus} (or {@code prometheus} on the
 * PATH, or in the directory of the system property {@code cpt.prometheus.path}) with a generated config that scrapes one target every second as job {@value #JOB} and
 * loads the given rule files, listening on a free 127.0.0.1 port and storing into a temporary
 * directory that {@link #close()} deletes. Callers skip when {@link #available()} is false
 * ({@code .ci/run} installs Debian's {@code prometheus} package).
 *
 * <p>Ready takes about 0.1 s; the first scrape comes about 5 s after start (Prometheus's service
 * discovery hands targets to the scrape manager every 5 s), then one a second, so
 * {@code waitForScrapes(2, ...)} returns after about 6 s.
 */
public final class PrometheusServer implements AutoCloseable {

    /** The scrape job of the target. */
    public static final String JOB = "cpt";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final Path log;
    private final Path config;
    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, Path dir, Path log, Path config, URI uri) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.config = config;
        this.uri = uri;
    }

    /** The prometheus binary: /usr/bin/prometheus, else the first on the PATH ({@link Binaries}). */
    public static Optional<Path> binary() {
        return Binaries.find("prometheus");
    }

    public static boolean available() {
        return binary().isPresent();
    }

    /**
     * Starts Prometheus scraping {@code http://target + metricsPath} every second and evaluating
     * {@code ruleFiles} every second, and waits until {@code /-/ready} answers 200.
     *
     * @param target {@code host:port}
     */
    public static PrometheusServer start(String target, String metricsPath, Path... ruleFiles) throws IOException {
        Path bin = binary().orElseThrow(() -> new IllegalStateException(Binaries.missing("prometheus")));
        Path dir = Files.createTempDirectory("cpt-prometheus-");
        try {
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, config(target, metricsPath, ruleFiles));
            IOException last = null;
            // the free port is found by binding and releasing it: another process may take it first
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                Path log = dir.resolve("prometheus-" + attempt + ".log");
                Process p = new ProcessBuilder(bin.toString(),
                        "--config.file=" + config,
                        "--web.listen-address=127.0.0.1:" + port,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--log.level=info")
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                PrometheusServer server = new PrometheusServer(p, dir, log, config, URI.create("http://127.0.0.1:" + port));
                try {
                    server.awaitReady();
                    return server;
                } catch (IOException e) {
                    last = e;
                    server.stop();
                    if (!server.log().contains("address already in use")) {
                        break;
                    }
                }
            }
            throw last;
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** The generated configuration. */
    static String config(String target, String metricsPath, Path... ruleFiles) {
        StringBuilder y = new StringBuilder();
        y.append("global:\n")
                .append("  scrape_interval: 1s\n")
                .append("  scrape_timeout: 1s\n")
                .append("  evaluation_interval: 1s\n");
        if (ruleFiles.length > 0) {
            y.append("rule_files:\n");
            for (Path f : ruleFiles) {
                y.append("  - ").append(quote(f.toAbsolutePath().normalize().toString())).append('\n');
            }
        }
        y.append("scrape_configs:\n")
                .append("  - job_name: ").append(JOB).append('\n')
                .append("    metrics_path: ").append(quote(metricsPath)).append('\n')
                .append("    static_configs:\n")
                .append("      - targets: [").append(quote(target)).append("]\n");
        return y.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri.resolve("/-/ready"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for prometheus", e);
            }
            sleep(50);
        }
        throw new IOException("prometheus not ready within " + READY_TIMEOUT + ":\n" + log());
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI uri() {
        return uri;
    }

    public Path configFile() {
        return config;
    }

    /** Prometheus's own log so far (stdout and stderr). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /**
     * An instant query at the current time: {@code data.result}, for a vector the array of
     * {@code {"metric": {labels}, "value": [time, "value"]}} (for a scalar or string, the
     * {@code [time, "value"]} pair).
     *
     * @throws QueryException when Prometheus refuses the query (a parse error, for one)
     */
    public JsonNode query(String promql) {
        return queryData(promql).path("result");
    }

    /** An instant query's {@code data}: {@code resultType} and {@code result}. */
    public JsonNode queryData(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data");
    }

    /**
     * The value of a query that yields a scalar or a vector of at most one sample; empty for an
     * empty vector.
     */
    public OptionalDouble value(String promql) {
        JsonNode data = queryData(promql);
        JsonNode result = data.path("result");
        String type = data.path("resultType").asText();
        if (type.equals("scalar")) {
            return OptionalDouble.of(parse(result.get(1).asText()));
        }
        if (!type.equals("vector")) {
            throw new IllegalStateException(promql + " yields a " + type + ", not a vector or scalar: " + result);
        }
        if (result.isEmpty()) {
            return OptionalDouble.empty();
        }
        if (result.size() > 1) {
            throw new IllegalStateException(promql + " yields " + result.size() + " samples: " + result);
        }
        return OptionalDouble.of(parse(result.get(0).path("value").get(1).asText()));
    }

    /** Prometheus's sample values: numbers, NaN, +Inf, -Inf. */
    static double parse(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    /**
     * Waits until the target has been scraped successfully {@code n} times and the samples are
     * queryable: {@code sum_over_time(up{job="cpt"}[10m])} (one {@code up} sample per scrape, 1 when
     * it succeeded; count_over_time would count failed scrapes too). At most 600.
     */
    public void waitForScrapes(int n, Duration timeout) {
        String promql = "sum_over_time(up{job=\"" + JOB + "\"}[10m])";
        long deadline = System.nanoTime() + timeout.toNanos();
        double seen = 0;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            seen = value(promql).orElse(0);
            if (seen >= n) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException(String.format("%s successful scrapes after %s, wanted %d; targets: %s%nlog:%n%s",
                (long) seen, timeout, n, targets(), log()));
    }

    /** {@code data.groups} of {@code GET /api/v1/rules}: each group's rules with state, health and lastError. */
    public JsonNode rules() {
        return get("/api/v1/rules").path("data").path("groups");
    }

    /** The names of the loaded alerting rules, in file order. */
    public List<String> alertNames() {
        List<String> names = new ArrayList<>();
        for (JsonNode g : rules()) {
            for (JsonNode r : g.path("rules")) {
                if ("alerting".equals(r.path("type").asText())) {
                    names.add(r.path("name").asText());
                }
            }
        }
        return names;
    }

    /** {@code data.activeTargets} of {@code GET /api/v1/targets} (health, lastError, lastScrape). */
    public JsonNode targets() {
        return get("/api/v1/targets").path("data").path("activeTargets");
    }

    private JsonNode get(String pathAndQuery) {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(uri + pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + pathAndQuery, e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + pathAndQuery + " -> " + r.statusCode() + ", not JSON: " + r.body(), e);
        }
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new QueryException(pathAndQuery, r.statusCode(), body.path("errorType").asText(), body.path("error").asText());
        }
        return body;
    }

    /** Prometheus answered an API call with an error. */
    public static final class QueryException extends RuntimeException {
        private final String errorType;

        QueryException(String request, int status, String errorType, String error) {
            super("GET " + request + " -> " + status + " " + errorType + ": " + error);
            this.errorType = errorType;
        }

        /** bad_data (a query that does not parse), execution, timeout, ... */
        public String errorType() {
            return errorType;
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops Prometheus (SIGTERM, then SIGKILL after 10 s) and deletes its config and storage. */
    @Override
    public void close() {
        stop();
        deleteTree(dir);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp dir left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
