/**
 * The ingest: a Kafka Streams topology from documents on {@code cpt.docs} to packed token
 * sequences on {@code cpt.sequences} and {@code cpt.heldout}, rejects to {@code cpt.docs.dlq}.
 * Depends on {@code core} only; talks to the other parts through Kafka topics.
 */
package dev.cpt.ingest;
