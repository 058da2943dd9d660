/**
 * Forgetting and backward transfer over the loss matrix: one column per checkpoint (main or
 * decayed, from {@code cpt.checkpoints}), one row per stream, held-out loss in the cells.
 *
 * <p>{@link dev.cpt.monitor.forgetting.LossMatrix} holds the columns (bounded per kind, with a
 * running summary of what it dropped), {@link dev.cpt.monitor.forgetting.Forgetting} turns it into
 * a {@link dev.cpt.monitor.forgetting.ForgettingReport}, and
 * {@link dev.cpt.monitor.forgetting.ForgettingMeters} publishes the report as gauges. The
 * definitions and their Prometheus names are in {@code docs/metrics.md}. Pure values: no Kafka,
 * no clocks, no threads.
 */
package dev.cpt.monitor.forgetting;
