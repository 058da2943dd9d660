/**
 * The checkpoint store as a contract between the trainer (which writes it) and the monitor (which
 * serves it): its layout, checkpoint ids, {@code manifest.json}, {@code aliases.json}, checksums.
 * docs/checkpoints.md describes the same for people.
 */
package dev.cpt.core.store;
