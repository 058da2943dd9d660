/**
 * {@code cpt pull}'s client side: {@link dev.cpt.monitor.pull.Puller} downloads the checkpoint an
 * alias names from the registry's {@code /v1} routes into a local folder, verifies every file's
 * SHA-256 against the manifest and switches {@code DIR/current} atomically; with
 * {@link dev.cpt.monitor.pull.Puller#watch} it long-polls and repeats.
 */
package dev.cpt.monitor.pull;
