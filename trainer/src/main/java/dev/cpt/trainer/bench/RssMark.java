package dev.cpt.trainer.bench;

/**
 * Memory of this process after {@code step} steps of the memory run.
 *
 * @param step               training steps of the memory run done so far
 * @param rssKb              resident set size ({@code VmRSS}), kB; -1 where unreadable
 * @param heapResidentKb     resident part of the Java heap's address range, kB; -1 where unknown
 * @param heapCommittedBytes the JVM heap committed at that moment
 */
public record RssMark(long step, long rssKb, long heapResidentKb, long heapCommittedBytes) {

    /** VmRSS without the resident Java heap (libtorch, the JVM's own native memory), kB; -1 where unknown. */
    public long nonHeapKb() {
        return rssKb < 0 || heapResidentKb < 0 ? -1 : rssKb - heapResidentKb;
    }
}
