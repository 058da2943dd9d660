package dev.cpt.archfixture.ingest;

import dev.cpt.archfixture.trainer.TrainerInternals;

/** Breaks the module rule on purpose: proves the rule catches an ingest -> trainer import. */
public final class LeakyIngest {
    public int peek() {
        return new TrainerInternals().step();
    }
}
