package dev.cpt.app.prometheus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The lexing behind the dashboard's and the rules' metric-name checks. */
class PromQlTest {

    @Test
    void shouldFindMetricsPastLabelsRangesGroupingAndNumbers() {
        PromQl.Names n = PromQl.names("sum by (reason) (rate(cpt_monitor_dlq_records_total{reason=~\"$r\"}[$__rate_interval])) > 1e3");

        assertThat(n.metrics()).containsExactly("cpt_monitor_dlq_records_total");
        assertThat(n.calls()).containsExactly("sum", "rate");
    }

    @Test
    void shouldSkipKeywordsOffsetsCommentsAndStrings() {
        PromQl.Names n = PromQl.names("""
                # FORGETTING_THRESHOLD = 0.1
                (changes(a_b[10m]) == 0 and c offset 10m unless d == bool 1)
                or on() absent(e{x="f g"}) or label_replace(h, "dst", "$1", "src", "(.*)") or 2 * inf > NaN""");

        assertThat(n.metrics()).containsExactly("a_b", "c", "d", "e", "h");
        assertThat(n.calls()).containsExactly("changes", "absent", "label_replace");
    }

    @Test
    void shouldReadGrafanaLabelValues() {
        PromQl.Names n = PromQl.names("label_values(cpt_eval_loss, stream)");

        assertThat(n.calls()).containsExactly("label_values");
        assertThat(n.metrics()).containsExactly("cpt_eval_loss");
        assertThat(PromQl.names("label_values(stream)").metrics()).isEmpty();
    }
}
