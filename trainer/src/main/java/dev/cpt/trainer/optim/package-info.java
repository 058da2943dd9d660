/**
 * Optimisation: {@link dev.cpt.trainer.optim.AdamW} with state keyed by parameter name (saveable
 * bit-exactly as safetensors), decoupled weight decay on chosen parameter groups, global-norm
 * gradient clipping, and per-group telemetry ({@link dev.cpt.trainer.optim.GroupStats}: weight
 * norm, update norm, relative update, gradient norm, effective learning rate) fetched in one
 * device-to-host transfer.
 */
package dev.cpt.trainer.optim;
