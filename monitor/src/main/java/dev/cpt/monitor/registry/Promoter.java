package dev.cpt.monitor.registry;

import dev.cpt.core.store.AliasTable;
import dev.cpt.core.store.Manifest;

import java.io.IOException;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Runs the gate on a new checkpoint: compares it with what {@code latest} points at, on the
 * newest stream of the store, persists the decision and, when promoted, moves {@code latest}.
 */
public final class Promoter {

    private final Registry registry;
    private final Promotions promotions;
    private final PromotionGate gate;

    public Promoter(Registry registry, Promotions promotions, PromotionGate gate) {
        this.registry = registry;
        this.promotions = promotions;
        this.gate = gate;
    }

    /**
     * Decides on {@code candidateId}, persists the decision and moves {@code latest} when it passed.
     * A checkpoint decided before keeps its decision: re-reading the event history after a restart
     * must never move {@code latest} back to an older checkpoint.
     *
     * @throws NoSuchElementException when there is no complete checkpoint {@code candidateId}
     */
    public synchronized Promotion consider(String candidateId) throws IOException {
        Manifest candidate = registry.manifest(candidateId)
                .orElseThrow(() -> new NoSuchElementException("no complete checkpoint " + candidateId));
        Optional<Promotion> earlier = promotions.read(candidateId);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Optional<String> latestId = registry.aliases().get(AliasTable.LATEST);
        Optional<Manifest> latest = latestId.filter(id -> !id.equals(candidateId)).flatMap(registry::manifest);
        String newest = PromotionGate.newestStream(registry.list(Optional.empty())).orElse(null);
        PromotionGate.Decision d = gate.decide(candidate, latest, newest);
        Promotion p = promotions.record(candidateId, d, latest.map(Manifest::id));
        if (d.promoted()) {
            registry.setAlias(AliasTable.LATEST, candidateId);
        }
        return p;
    }
}
