/**
 * {@code cpt push}: reads files, directories, JSONL and stdin into records for {@code cpt.docs}
 * ({@link dev.cpt.ingest.push.DocumentSource}), sends them with an idempotent producer
 * ({@link dev.cpt.ingest.push.Pusher}, {@link dev.cpt.ingest.push.DocsProducer}) and reports
 * progress and a {@link dev.cpt.ingest.push.PushSummary}.
 *
 * <p>Push checks only what it needs to choose the record key (the JSON parse that finds
 * {@code "stream"}); validating documents is the ingest's job, which dead-letters bad ones.
 */
package dev.cpt.ingest.push;
