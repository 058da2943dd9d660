package dev.cpt.app.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {

    @Test
    void shouldDropFamiliesTheBaseScrapeAlreadyHasAndKeepTheOthers() {
        String base = """
                # HELP cpt_trainer_loss Mean training loss
                # TYPE cpt_trainer_loss gauge
                cpt_trainer_loss 2.5
                # TYPE cpt_trainer_tokens counter
                cpt_trainer_tokens_total{stream="a"} 10.0
                """;
        String child = """
                # HELP cpt_trainer_loss Mean training loss
                # TYPE cpt_trainer_loss gauge
                cpt_trainer_loss 2.4
                # TYPE cpt_trainer_tokens_total counter
                cpt_trainer_tokens_total{stream="a"} 9.0
                # TYPE cpt_trainer_step_seconds summary
                cpt_trainer_step_seconds_count 3.0
                cpt_trainer_step_seconds_sum 1.5
                # TYPE cpt_trainer_waiting gauge
                cpt_trainer_waiting 0.0
                """;

        assertThat(PrometheusText.withoutFamiliesOf(child, base)).isEqualTo("""
                # TYPE cpt_trainer_step_seconds summary
                cpt_trainer_step_seconds_count 3.0
                cpt_trainer_step_seconds_sum 1.5
                # TYPE cpt_trainer_waiting gauge
                cpt_trainer_waiting 0.0
                """);
    }

    @Test
    void shouldKeepEverythingWhenTheBaseIsEmpty() {
        String child = "# TYPE cpt_x gauge\ncpt_x 1.0\n";
        assertThat(PrometheusText.withoutFamiliesOf(child, "")).isEqualTo(child);
    }
}
