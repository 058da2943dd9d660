/**
 * Built-in synthetic data for {@code cpt standalone --demo}: deterministic, seeded document
 * streams written by cpt itself (no third-party text), each with its own alphabet and structure,
 * so that a small byte-level model learns each one within minutes on CPU and visibly forgets the
 * first when it is trained on the next.
 *
 * <p>Entry points: {@link dev.cpt.ingest.demo.SyntheticStreams} (documents of one stream),
 * {@link dev.cpt.ingest.demo.SyntheticStream} (the streams there are) and
 * {@link dev.cpt.ingest.demo.DemoPlan} (which stream is pushed first and which later).
 */
package dev.cpt.ingest.demo;
