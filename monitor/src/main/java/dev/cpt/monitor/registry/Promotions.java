package dev.cpt.monitor.registry;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cpt.core.format.Json;
import dev.cpt.core.store.StoreLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The gate's decisions, one file each at {@code <store>/promotions/<id>.json}, written to a
 * {@code .tmp-} file and renamed into place, so a reader never sees half a decision.
 */
public final class Promotions {

    public static final String DIR = "promotions";

    private static final Logger log = LoggerFactory.getLogger(Promotions.class);

    private final Path dir;

    public Promotions(Path store) {
        this.dir = Objects.requireNonNull(store, "store").resolve(DIR);
    }

    public Path dir() {
        return dir;
    }

    /** Persists the decision on {@code id} (replacing an earlier one) and returns it as stored. */
    public Promotion record(String id, PromotionGate.Decision decision, Optional<String> comparedTo) throws IOException {
        Promotion p = new Promotion(checkId(id), decision.promoted(), decision.reason(), comparedTo.orElse(null),
                System.currentTimeMillis());
        write(p);
        return p;
    }

    /** Persists {@code p} as is. */
    public void write(Promotion p) throws IOException {
        checkId(p.id());
        Files.createDirectories(dir);
        Path tmp = dir.resolve(StoreLayout.TMP + p.id() + "-" + UUID.randomUUID() + ".json");
        try {
            Files.write(tmp, Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(p));
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            Path target = dir.resolve(p.id() + ".json");
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The decision on {@code id}, or empty when there is none (or the id is malformed, or the file unreadable). */
    public Optional<Promotion> read(String id) {
        if (id == null || !StoreLayout.ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Path f = dir.resolve(id + ".json");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(f.toFile(), Promotion.class));
        } catch (IOException e) {
            log.warn("cannot read promotion decision {}: {}", f, e.toString());
            return Optional.empty();
        }
    }

    private static String checkId(String id) {
        if (id == null || !StoreLayout.ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a checkpoint id must match " + StoreLayout.ID.pattern() + ", got '" + id + "'");
        }
        return id;
    }
}
