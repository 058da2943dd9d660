/**
 * The trainer: consumes {@code cpt.sequences}, trains one model forever, writes checkpoints to the
 * store and events to {@code cpt.telemetry} and {@code cpt.checkpoints}. Depends on {@code core}
 * only; talks to the other parts through Kafka topics and the checkpoint store.
 */
package dev.cpt.trainer;
