/**
 * The checkpoint registry: what the store holds ({@link dev.cpt.monitor.registry.Registry}), which
 * branch may become {@code latest} ({@link dev.cpt.monitor.registry.PromotionGate},
 * {@link dev.cpt.monitor.registry.Promotions}) and the one shared watcher of {@code aliases.json}
 * behind the long-polls. Reads the store through {@code dev.cpt.core.store} only.
 */
package dev.cpt.monitor.registry;
