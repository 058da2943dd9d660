/**
 * The monitor: turns {@code cpt.telemetry} and {@code cpt.checkpoints} into Prometheus metrics and
 * serves the checkpoint registry. Depends on {@code core} only; never reads the trainer's memory.
 */
package dev.cpt.monitor;
