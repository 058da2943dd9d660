package dev.cpt.archfixture.trainer;

/** Target of {@link dev.cpt.archfixture.ingest.LeakyIngest}'s forbidden import. */
public final class TrainerInternals {
    public int step() {
        return 42;
    }
}
