package dev.cpt.app.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpt.core.format.DlqReason;
import dev.cpt.ingest.metrics.IngestMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** monitor/grafana/cpt-dashboard.json: valid, titled, and querying only cpt's meters. */
class GrafanaDashboardTest {

    private static JsonNode dashboard;

    @BeforeAll
    static void load() throws IOException {
        dashboard = new ObjectMapper().readTree(RepoFiles.dashboard().toFile());
    }

    @Test
    void shouldDeclareSchemaAndVariables() {
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(37);
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("uid").asText()).isNotBlank();

        JsonNode datasource = variable("datasource");
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");

        JsonNode stream = variable("stream");
        assertThat(stream.path("type").asText()).isEqualTo("query");
        assertThat(variableQuery(stream)).isEqualTo("label_values(cpt_eval_loss, stream)");
        assertThat(stream.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
    }

    @Test
    void shouldTitleEveryPanel() {
        List<JsonNode> panels = panels();
        assertThat(panels).hasSizeGreaterThan(10);
        for (JsonNode p : panels) {
            assertThat(p.path("title").asText()).as("panel %s (%s)", p.path("id"), p.path("type")).isNotBlank();
        }
        assertThat(panels).extracting(p -> p.path("id").asInt()).doesNotHaveDuplicates();
    }

    @Test
    void shouldQueryThroughTheDatasourceVariable() {
        for (JsonNode p : panels()) {
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(p.path("datasource").path("uid").asText()).as(p.path("title").asText()).isEqualTo("${datasource}");
            assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("datasource").path("uid").asText()).as(p.path("title").asText()).isEqualTo("${datasource}");
                assertThat(t.path("expr").asText()).as(p.path("title").asText()).isNotBlank();
            }
        }
    }

    @Test
    void shouldReadOnlyCptMeters() {
        Set<String> allowed = allowedMetrics();
        Set<String> unknownMetrics = new TreeSet<>();
        Set<String> unknownCalls = new TreeSet<>();
        exprs().forEach((where, expr) -> {
            PromQl.Names names = PromQl.names(expr);
            assertThat(names.metrics()).as("%s: %s reads no meter", where, expr).isNotEmpty();
            names.metrics().stream().filter(m -> !allowed.contains(m)).forEach(m -> unknownMetrics.add(where + ": " + m));
            names.calls().stream().filter(c -> !PromQl.FUNCTIONS.contains(c)).forEach(c -> unknownCalls.add(where + ": " + c));
        });
        assertThat(unknownMetrics).as("metric names outside the cpt meters").isEmpty();
        assertThat(unknownCalls).as("unknown functions").isEmpty();
    }

    @Test
    void shouldShowEveryTrainerAndMonitorMeter() {
        Set<String> used = new TreeSet<>();
        exprs().values().forEach(e -> used.addAll(PromQl.names(e).metrics()));

        assertThat(used).containsAll(CptMeters.all());
        assertThat(used).contains("cpt_ingest_documents_in_total", "cpt_ingest_documents_total", "cpt_ingest_dead_letters_total");
    }

    @Test
    void shouldPointTheLossMatrixAtTheForgettingEndpoint() {
        List<JsonNode> matrix = panels().stream().filter(p -> p.path("type").asText().equals("heatmap")).toList();
        assertThat(matrix).hasSize(1);
        assertThat(matrix.get(0).path("description").asText()).contains("/v1/forgetting");
        assertThat(matrix.get(0).path("targets").get(0).path("expr").asText()).contains("cpt_eval_loss{");
    }

    /** Every name the dashboard and the rules may use is registered by the code, and documented. */
    @Test
    void shouldAgreeWithTheNamesTheCodeRegistersAndDocuments() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CodeMeters code = new CodeMeters(registry);
        Set<String> registered = scrapedNames(registry.scrape());

        assertThat(registered).as("registered by TrainerMeters, MonitorMeters, ForgettingMeters").containsAll(CptMeters.all());
        assertThat(code.forgetting).isNotNull();
        assertThat(ingestNames()).contains("cpt_ingest_documents_in_total", "cpt_ingest_documents_total",
                "cpt_ingest_dead_letters_total");

        String docs = Files.readString(RepoFiles.root().resolve("docs/metrics.md"));
        for (String name : CptMeters.all()) {
            assertThat(docs).as("docs/metrics.md documents " + name).contains("`" + name + "`");
        }
    }

    /** Prometheus itself parses every expression (variables replaced as Grafana would). */
    @Test
    void shouldParseEveryExpressionInPrometheus() throws IOException {
        assumeTrue(PrometheusServer.available(), Binaries.missing("prometheus"));
        List<String> errors = new ArrayList<>();
        // nothing listens on port 9 (discard): the target is down, which does not matter to the parser
        try (PrometheusServer prometheus = PrometheusServer.start("127.0.0.1:9", "/metrics")) {
            exprs().forEach((where, expr) -> {
                if (expr.startsWith("label_values(")) {
                    return; // Grafana's, not PromQL: its argument is checked by shouldReadOnlyCptMeters
                }
                String promql = expr.replace("$__rate_interval", "1m").replace("$__range", "1h")
                        .replace("$__interval", "15s").replaceAll("\\$\\{?[a-z_]+}?", ".*");
                try {
                    prometheus.query(promql);
                } catch (PrometheusServer.QueryException e) {
                    errors.add(where + ": " + promql + " -> " + e.getMessage());
                }
            });
        }
        assertThat(errors).isEmpty();
    }

    // ------------------------------------------------------------------------------------------

    static Set<String> allowedMetrics() {
        Set<String> allowed = new TreeSet<>(CptMeters.all());
        allowed.addAll(ingestNames());
        return allowed;
    }

    /** The Prometheus names of every ingest meter, read off a real IngestMetrics scrape. */
    static Set<String> ingestNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IngestMetrics m = new IngestMetrics(registry);
        m.received();
        m.deadLettered(DlqReason.values()[0]);
        m.duplicate("web");
        m.accepted("web", 100, 20, System.currentTimeMillis());
        m.sequences("web", "train", 1);
        Set<String> names = scrapedNames(registry.scrape());
        assertThat(names).allMatch(n -> n.startsWith("cpt_ingest_"));
        return names;
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    static Set<String> scrapedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        Matcher m = SAMPLE.matcher(exposition);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Every panel, rows and panels inside collapsed rows included. */
    static List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            all.add(p);
            p.path("panels").forEach(all::add);
        }
        return all;
    }

    /** Every PromQL expression by where it is: panel targets, annotations and query variables. */
    static Map<String, String> exprs() {
        Map<String, String> exprs = new LinkedHashMap<>();
        for (JsonNode p : panels()) {
            for (JsonNode t : p.path("targets")) {
                exprs.put("panel '" + p.path("title").asText() + "' " + t.path("refId").asText(), t.path("expr").asText());
            }
        }
        for (JsonNode a : dashboard.path("annotations").path("list")) {
            if (a.has("expr")) {
                exprs.put("annotation '" + a.path("name").asText() + "'", a.path("expr").asText());
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                exprs.put("variable " + v.path("name").asText(), variableQuery(v));
            }
        }
        assertThat(exprs).isNotEmpty();
        return exprs;
    }

    static JsonNode variable(String name) {
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no template variable " + name);
    }

    /** A query variable's query: a string, or {"query": ...} in newer Grafana. */
    static String variableQuery(JsonNode v) {
        JsonNode q = v.path("query");
        return q.isTextual() ? q.asText() : q.path("query").asText();
    }
}
