package dev.cpt.app.prometheus;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** monitor/prometheus/cpt-alerts.yml: promtool's checks and unit tests, and what every rule must carry. */
class AlertRulesTest {

    static final List<String> REQUIRED = List.of(
            "TrainerStalled", "LossNonFinite", "ForgettingHigh", "NoDecayedCheckpoint", "ConsumerLagGrowing", "DlqRateHigh");

    static final List<String> UNIT_TESTED = List.of("TrainerStalled", "LossNonFinite", "ForgettingHigh", "DlqRateHigh");

    @Test
    void shouldPassPromtoolCheckRules() {
        assumeTrue(Promtool.available(), Binaries.missing("promtool"));

        Promtool.Result r = Promtool.checkRules(RepoFiles.alerts());

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void shouldPassPromtoolRuleUnitTests() {
        assumeTrue(Promtool.available(), Binaries.missing("promtool"));

        Promtool.Result r = Promtool.testRules(RepoFiles.alertTests());

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void shouldDefineTheRequiredAlertsInGroupCpt() throws IOException {
        List<Map<String, Object>> groups = list(load(RepoFiles.alerts()).get("groups"));

        assertThat(groups).extracting(g -> g.get("name")).containsExactly("cpt");
        assertThat(alerts()).extracting(r -> r.get("alert")).containsAll(REQUIRED);
    }

    @Test
    void shouldGiveEveryAlertASeverityASummaryAndARunbook() throws IOException {
        for (Map<String, Object> rule : alerts()) {
            String name = String.valueOf(rule.get("alert"));
            Map<String, Object> labels = map(rule.get("labels"));
            Map<String, Object> annotations = map(rule.get("annotations"));
            assertThat(labels.get("severity")).as(name + " severity").isIn("critical", "warning", "info");
            assertThat(String.valueOf(annotations.get("summary"))).as(name + " summary").isNotBlank().isNotEqualTo("null");
            String runbook = String.valueOf(annotations.get("runbook"));
            assertThat(runbook).as(name + " runbook: one line").isNotBlank().isNotEqualTo("null").doesNotContain("\n");
        }
    }

    @Test
    void shouldReadOnlyCptMeters() throws IOException {
        Set<String> unknown = new TreeSet<>();
        for (Map<String, Object> rule : alerts()) {
            for (String metric : PromQl.names(String.valueOf(rule.get("expr"))).metrics()) {
                if (!CptMeters.all().contains(metric)) {
                    unknown.add(rule.get("alert") + ": " + metric);
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void shouldNameTheForgettingThresholdWhereItIsUsed() throws IOException {
        Map<String, Object> rule = alerts().stream().filter(r -> "ForgettingHigh".equals(r.get("alert"))).findFirst().orElseThrow();
        String expr = String.valueOf(rule.get("expr"));

        Matcher named = Pattern.compile("FORGETTING_THRESHOLD = ([0-9.]+)").matcher(expr);
        assertThat(named.find()).as(expr).isTrue();
        String threshold = named.group(1);
        assertThat(expr).contains("cpt_forgetting{branch=\"decayed\"} > " + threshold);
        assertThat(String.valueOf(map(rule.get("annotations")).get("summary"))).contains("FORGETTING_THRESHOLD " + threshold);
        assertThat(rule.get("for")).isEqualTo("30m");
    }

    @Test
    void shouldUnitTestTheRequiredAlerts() throws IOException {
        Map<String, Object> tests = load(RepoFiles.alertTests());
        assertThat(String.valueOf(tests.get("rule_files"))).isEqualTo("[" + RepoFiles.alerts().getFileName() + "]");

        Set<String> fired = new TreeSet<>();
        for (Map<String, Object> t : list(tests.get("tests"))) {
            for (Map<String, Object> a : list(t.get("alert_rule_test"))) {
                if (!list(a.get("exp_alerts")).isEmpty()) {
                    fired.add(String.valueOf(a.get("alertname")));
                }
            }
        }
        assertThat(fired).as("alerts a unit test expects to fire").containsAll(UNIT_TESTED);
    }

    static List<Map<String, Object>> alerts() throws IOException {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map<String, Object> g : list(load(RepoFiles.alerts()).get("groups"))) {
            for (Map<String, Object> r : list(g.get("rules"))) {
                if (r.containsKey("alert")) {
                    alerts.add(r);
                }
            }
        }
        return alerts;
    }

    static Map<String, Object> load(Path yaml) throws IOException {
        return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(yaml)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object o) {
        if (o == null) {
            return List.of();
        }
        assertThat(o).isInstanceOf(List.class);
        return (List<Map<String, Object>>) o;
    }
}
