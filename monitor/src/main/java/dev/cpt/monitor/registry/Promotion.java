package dev.cpt.monitor.registry;

/**
 * A promotion decision as persisted at {@code <store>/promotions/<id>.json}.
 *
 * @param id the candidate checkpoint
 * @param promoted whether it passed the gate
 * @param reason why, for a person
 * @param comparedTo the latest it was compared with; null when there was none
 * @param decidedMs wall clock of the decision
 */
public record Promotion(String id, boolean promoted, String reason, String comparedTo, long decidedMs) {
}
