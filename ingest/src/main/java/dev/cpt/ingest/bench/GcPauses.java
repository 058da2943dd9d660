package dev.cpt.ingest.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Garbage collections of this JVM and the time they took, summed over its collectors: the bench
 * shares one JVM between the ingest, the copy and the broker, and a pause stops all of them.
 * Beans that count concurrent cycles rather than pauses ("G1 Concurrent GC" from JDK 20, "ZGC
 * Cycles", "Shenandoah Cycles") are left out: their time runs beside the application.
 *
 * @param count  collections, -1 when the JVM cannot tell
 * @param millis their time in milliseconds, -1 when the JVM cannot tell
 */
public record GcPauses(long count, long millis) {

    /** The collections since this JVM started. */
    public static GcPauses sinceStart() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!isPauses(gc.getName())) {
                continue;
            }
            if (gc.getCollectionCount() < 0 || gc.getCollectionTime() < 0) {
                return new GcPauses(-1, -1);
            }
            count += gc.getCollectionCount();
            millis += gc.getCollectionTime();
        }
        return new GcPauses(count, millis);
    }

    /** Whether the collector bean of this name counts pauses, not concurrent cycles. */
    static boolean isPauses(String collectorName) {
        return !collectorName.contains("Concurrent") && !collectorName.endsWith("Cycles");
    }

    /** The collections between {@code earlier} and this. */
    public GcPauses minus(GcPauses earlier) {
        return count < 0 || earlier.count < 0 ? new GcPauses(-1, -1) : new GcPauses(count - earlier.count, millis - earlier.millis);
    }

    /** E.g. {@code 12 GC 0.183 s}, or {@code ?} when unknown. */
    public String describe() {
        return count < 0 ? "?" : String.format(java.util.Locale.ROOT, "%d GC %.3f s", count, millis / 1e3);
    }
}
