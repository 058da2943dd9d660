package dev.cpt.monitor.registry;

import dev.cpt.core.store.Checksums;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** Checkpoints written by hand into a test store, the way the trainer lays them out. */
public final class Stores {

    private Stores() {
    }

    /** A decayed branch with a {@code model.safetensors} of {@code modelBytes} deterministic bytes. */
    public static Manifest branch(Path store, String id, long createdMs, long step, Map<String, Double> evalLoss,
                                  Map<String, Long> tokensPerStream, int modelBytes) throws IOException {
        Path dir = new StoreLayout(store).dirOf(id).orElseThrow();
        Files.createDirectories(dir);
        Files.write(dir.resolve(StoreLayout.MODEL), bytes(id, modelBytes));
        return manifest(dir, id, Manifest.Kind.DECAYED, createdMs, step, evalLoss, tokensPerStream);
    }

    public static Manifest branch(Path store, String id, long createdMs, long step) throws IOException {
        return branch(store, id, createdMs, step, Map.of("en", 1.5), Map.of("en", 1000L), 4096);
    }

    /** A main checkpoint with model, optimizer, state and a nested {@code replay/en.slots}. */
    public static Manifest main(Path store, long step, long createdMs) throws IOException {
        String id = StoreLayout.mainId(step);
        Path dir = new StoreLayout(store).mainCheckpoint(step);
        Files.createDirectories(dir.resolve("replay"));
        Files.write(dir.resolve(StoreLayout.MODEL), bytes(id, 2048));
        Files.write(dir.resolve("optimizer.safetensors"), bytes(id + "o", 1024));
        Files.writeString(dir.resolve("state.json"), "{\"step\":" + step + "}");
        Files.write(dir.resolve("replay/en.slots"), bytes(id + "r", 512));
        return manifest(dir, id, Manifest.Kind.MAIN, createdMs, step, Map.of("en", 1.6), Map.of("en", 900L));
    }

    public static Manifest manifest(Path dir, String id, Manifest.Kind kind, long createdMs, long step,
                                    Map<String, Double> evalLoss, Map<String, Long> tokensPerStream) throws IOException {
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, id, kind, "wsd", createdMs, step, step * 4096, tokensPerStream,
                step, kind == Manifest.Kind.DECAYED ? new Manifest.Decay("one-minus-sqrt", 10, 0, 1e-3, "upcoming", 40960, 1.5) : null,
                Map.of("vocabSize", 259L), "byte-v1", 259, evalLoss, null, null, "none yet",
                Checksums.entries(dir, StoreLayout.MANIFEST));
        m.write(dir);
        return m;
    }

    /** A manifest that is never written (gate tests). */
    public static Manifest loose(String id, long createdMs, Map<String, Double> evalLoss, Map<String, Long> tokensPerStream) {
        return new Manifest(Manifest.FORMAT_VERSION, id, Manifest.Kind.DECAYED, "wsd", createdMs, createdMs, 0, tokensPerStream,
                0, null, Map.of(), "byte-v1", 259, evalLoss, null, null, null, java.util.List.of());
    }

    /** Deterministic pseudo-random content, different per seed. */
    public static byte[] bytes(String seed, int n) {
        byte[] b = new byte[n];
        new Random(seed.hashCode()).nextBytes(b);
        return b;
    }

    public static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    }
}
