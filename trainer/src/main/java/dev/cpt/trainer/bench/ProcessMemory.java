package dev.cpt.trainer.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This process's resident memory from {@code /proc/self/status} and {@code /proc/self/smaps}
 * (Linux); -1 where unreadable.
 *
 * <p>VmRSS also counts the Java heap, whose committed pages become resident only when first
 * written: a young generation that has not yet cycled through all of its committed regions makes
 * VmRSS climb for thousands of steps without any leak. {@link #javaHeapResidentKb()} measures
 * the resident part of the heap's address range, so that the rest (libtorch's tensors, the JVM's
 * own native memory) can be followed apart.
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path SMAPS = Path.of("/proc/self/smaps");
    private static final Pattern ADDRESS = Pattern.compile("0x([0-9a-fA-F]+)");
    private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ");

    private static volatile long[] heapRange;

    private ProcessMemory() {
    }

    /** Current resident set size, kB ({@code VmRSS}), or -1. */
    public static long rssKb() {
        return field("VmRSS:");
    }

    /** Peak resident set size, kB ({@code VmHWM}), or -1. */
    public static long peakRssKb() {
        return field("VmHWM:");
    }

    /**
     * Resident kB of the Java heap's reserved address range (from the {@code GC.heap_info}
     * diagnostic command and {@code /proc/self/smaps}), or -1 where either is unavailable.
     */
    public static long javaHeapResidentKb() {
        long[] range = heapRange();
        if (range == null) {
            return -1;
        }
        try (BufferedReader r = Files.newBufferedReader(SMAPS)) {
            long total = 0;
            boolean inside = false;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Matcher m = MAPPING.matcher(line);
                if (m.find()) {
                    long start = Long.parseUnsignedLong(m.group(1), 16);
                    long end = Long.parseUnsignedLong(m.group(2), 16);
                    inside = start >= range[0] && end <= range[1];
                } else if (inside && line.startsWith("Rss:")) {
                    total += parseKb(line.substring(4));
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** [lowest, highest) address of the Java heap's reservation, or null. */
    static long[] heapRange() {
        long[] cached = heapRange;
        if (cached != null) {
            return cached[0] < cached[1] ? cached : null;
        }
        long[] range = {0, 0};
        try {
            Object info = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcHeapInfo",
                    new Object[] {null}, new String[] {String[].class.getName()});
            long[] parsed = parseHeapRange(String.valueOf(info));
            if (parsed != null) {
                range = parsed;
            }
        } catch (Exception | LinkageError e) {
            // no diagnostic command: the heap's share stays unknown
        }
        heapRange = range;
        return range[0] < range[1] ? range : null;
    }

    /**
     * The lowest and highest address in the heap lines of a {@code GC.heap_info} report (before
     * the Metaspace line): the heap's reservation for G1, Serial and Parallel alike.
     */
    static long[] parseHeapRange(String heapInfo) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (String line : heapInfo.split("\n")) {
            if (line.trim().startsWith("Metaspace")) {
                break;
            }
            Matcher m = ADDRESS.matcher(line);
            while (m.find()) {
                long a = Long.parseUnsignedLong(m.group(1), 16);
                lo = Math.min(lo, a);
                hi = Math.max(hi, a);
            }
        }
        return lo < hi ? new long[] {lo, hi} : null;
    }

    static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    return parseKb(line.substring(name.length()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** {@code "   123456 kB"} -> 123456. */
    static long parseKb(String value) {
        String v = value.trim();
        if (v.endsWith("kB")) {
            v = v.substring(0, v.length() - 2).trim();
        }
        return Long.parseLong(v);
    }
}
