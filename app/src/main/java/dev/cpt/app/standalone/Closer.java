package dev.cpt.app.standalone;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/** Closes what was started, last started first, and keeps going when one part fails to close. */
final class Closer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Closer.class);

    private record Part(String name, AutoCloseable closeable) {
    }

    private final Deque<Part> parts = new ArrayDeque<>();

    <T extends AutoCloseable> T register(String name, T closeable) {
        parts.push(new Part(name, closeable));
        return closeable;
    }

    @Override
    public void close() {
        while (!parts.isEmpty()) {
            Part p = parts.pop();
            long t0 = System.nanoTime();
            try {
                p.closeable().close();
                log.debug("closed {} in {} ms", p.name(), (System.nanoTime() - t0) / 1_000_000);
            } catch (Exception e) {
                log.warn("closing {} failed: {}", p.name(), e.toString());
            }
        }
    }
}
