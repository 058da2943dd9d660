package dev.cpt.app.prometheus;

import java.util.Set;
import java.util.TreeSet;

/**
 * The Prometheus names (after Micrometer's conversion) of the meters the dashboard and the alert
 * rules may use: the learning meters of the trainer (rebuilt by the monitor from cpt.telemetry),
 * the monitor's forgetting, branch and health meters. The ingest's own meters are read off a real
 * {@code IngestMetrics} scrape instead (see {@link GrafanaDashboardTest}).
 */
final class CptMeters {

    private CptMeters() {
    }

    static final Set<String> LEARNING = Set.of(
            "cpt_trainer_loss", "cpt_trainer_lr", "cpt_trainer_steps", "cpt_trainer_grad_norm",
            "cpt_trainer_throughput_tokens_per_second", "cpt_trainer_mfu_ratio",
            "cpt_trainer_tokens_total", // counter {stream}
            "cpt_trainer_phase", // {phase}: warmup|stable|decay|rewarm|cooldown|anneal|floor
            "cpt_trainer_skipped_steps_total", "cpt_trainer_waiting");

    static final Set<String> EFFECTIVE_LR = Set.of(
            "cpt_trainer_weight_norm", "cpt_trainer_update_ratio", "cpt_trainer_lr_effective"); // {group}

    static final Set<String> FORGETTING = Set.of(
            "cpt_eval_loss", "cpt_eval_loss_best", "cpt_forgetting", "cpt_eval_loss_after_training", // {stream,branch}
            "cpt_backward_transfer"); // {branch}

    static final Set<String> BRANCHES = Set.of("cpt_branch_loss_predicted", "cpt_branch_loss_actual");

    static final Set<String> HEALTH = Set.of(
            "cpt_monitor_telemetry_age_seconds",
            "cpt_monitor_checkpoint_age_seconds", // {kind}: main|decayed
            "cpt_monitor_consumer_lag_records", // {group,topic}
            "cpt_monitor_dlq_records_total", // counter {reason}
            "cpt_monitor_promotions_total"); // counter {outcome}: promoted|refused

    /** Every name above. */
    static Set<String> all() {
        return union(LEARNING, EFFECTIVE_LR, FORGETTING, BRANCHES, HEALTH);
    }

    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }
}
