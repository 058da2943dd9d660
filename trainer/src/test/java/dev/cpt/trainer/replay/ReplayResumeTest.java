package dev.cpt.trainer.replay;

import dev.cpt.core.format.TokenSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A restored buffer makes the same future decisions and draws the same samples as the original. */
class ReplayResumeTest {

    private static final long CAPACITY = 3_000;

    @TempDir
    Path dir;

    /** Item {@code i} of a fixed mixed feed of three streams with different record sizes. */
    private static TokenSequence item(int i) {
        return switch (i % 5) {
            case 0, 1 -> Seqs.seq("web", i, 16);
            case 2, 3 -> Seqs.seq("code", i, 40);
            default -> Seqs.seq("de", i, 16, 70_000);
        };
    }

    @Test
    void restoredBufferMakesTheSameDecisionsAndDrawsTheSameSamples() throws IOException {
        try (ReplayBuffer a = ReplayBuffer.create(dir.resolve("a"), CAPACITY, 2024)) {
            for (int i = 0; i < 500; i++) {
                a.offer(item(i));
                if (i % 50 == 49) {
                    a.sample(7); // moves the sampler, so its state must be saved too
                }
            }
            a.checkpoint(dir.resolve("ckpt"));
            try (ReplayBuffer b = ReplayBuffer.restore(dir.resolve("ckpt"), dir.resolve("b"))) {
                assertThat(b.streams()).isEqualTo(a.streams());
                for (int i = 500; i < 800; i++) {
                    assertThat(b.offer(item(i))).as("decision on item %d", i).isEqualTo(a.offer(item(i)));
                    if (i % 10 == 0) {
                        assertThat(b.sample(5)).isEqualTo(a.sample(5));
                        assertThat(b.sample(3, Map.of("de", 1.0, "web", 3.0))).isEqualTo(a.sample(3, Map.of("de", 1.0, "web", 3.0)));
                    }
                }
                assertThat(b.streams()).isEqualTo(a.streams());
                assertThat(b.sample(200)).isEqualTo(a.sample(200));
                assertThat(b.sample(50, Map.of(), ReplayRng.seeded(9))).isEqualTo(a.sample(50, Map.of(), ReplayRng.seeded(9)));
                assertThat(contents(b)).isEqualTo(contents(a));
            }
        }
    }

    @Test
    void checkpointIsNotChangedByLaterOffersAndCanBeRestoredAgain() throws IOException {
        Path ckpt = dir.resolve("ckpt");
        try (ReplayBuffer a = ReplayBuffer.create(dir.resolve("a"), CAPACITY, 7)) {
            for (int i = 0; i < 500; i++) {
                a.offer(item(i));
            }
            a.checkpoint(ckpt);
            Map<String, byte[]> before = files(ckpt);
            for (int i = 500; i < 2_000; i++) {
                a.offer(item(i)); // overwrites working slots in place; a hard-linked checkpoint would change
            }
            assertThat(files(ckpt)).containsOnlyKeys(before.keySet());
            before.forEach((name, bytes) -> assertThat(files(ckpt).get(name)).as(name).isEqualTo(bytes));
        }
        List<TokenSequence> first;
        try (ReplayBuffer b = ReplayBuffer.restore(ckpt, dir.resolve("b"))) {
            first = b.sample(100);
        }
        try (ReplayBuffer c = ReplayBuffer.restore(ckpt, dir.resolve("b"))) {
            assertThat(c.sample(100)).isEqualTo(first);
        }
    }

    @Test
    void restoreReplacesStaleWorkingFilesAndDeletesThoseOfUnknownStreams() throws IOException {
        Path work = dir.resolve("work");
        try (ReplayBuffer a = ReplayBuffer.create(work, CAPACITY, 3)) {
            for (int i = 0; i < 100; i++) {
                a.offer(item(i));
            }
            a.checkpoint(dir.resolve("ckpt"));
            for (int i = 100; i < 400; i++) {
                a.offer(item(i)); // the working files move ahead of the checkpoint, as before a crash
            }
            a.offer(Seqs.seq("late", 0, 8)); // a stream first seen after the checkpoint
        }
        Files.writeString(work.resolve("notes.txt"), "kept");
        try (ReplayBuffer b = ReplayBuffer.restore(dir.resolve("ckpt"), work)) {
            assertThat(work.resolve("late.slots")).doesNotExist();
            assertThat(work.resolve("notes.txt")).hasContent("kept");
            for (String s : List.of("web", "code", "de")) {
                assertThat(Files.readAllBytes(work.resolve(s + ".slots"))).isEqualTo(Files.readAllBytes(dir.resolve("ckpt/" + s + ".slots")));
            }
            assertThat(b.streams().values()).extracting(StreamStats::seen).containsExactly(40L, 20L, 40L); // code, de, web
        }
    }

    @Test
    void checkpointOfAnEmptyBufferRestoresAnEmptyBuffer() throws IOException {
        try (ReplayBuffer a = ReplayBuffer.create(dir.resolve("a"), CAPACITY, 1)) {
            a.checkpoint(dir.resolve("ckpt"));
        }
        try (ReplayBuffer b = ReplayBuffer.restore(dir.resolve("ckpt"), dir.resolve("b"))) {
            assertThat(b.isEmpty()).isTrue();
            assertThat(b.capacityBytesPerStream()).isEqualTo(CAPACITY);
        }
    }

    @Test
    void checkpointDirectoryHoldsExactlyTheStateFileAndOneSlotFilePerStream() throws IOException {
        Path ckpt = dir.resolve("ckpt");
        Files.createDirectories(ckpt);
        Files.writeString(ckpt.resolve("gone.slots"), "from an earlier attempt");
        try (ReplayBuffer a = ReplayBuffer.create(dir.resolve("a"), CAPACITY, 1)) {
            for (int i = 0; i < 10; i++) {
                a.offer(item(i));
            }
            a.checkpoint(ckpt);
        }
        assertThat(files(ckpt).keySet()).containsExactly("code.slots", "de.slots", "replay.state", "web.slots");
    }

    private static Map<String, List<TokenSequence>> contents(ReplayBuffer buffer) throws IOException {
        Map<String, List<TokenSequence>> out = new TreeMap<>();
        for (StreamStats s : buffer.streams().values()) {
            List<TokenSequence> slots = new ArrayList<>();
            for (long k = 0; k < s.held(); k++) {
                slots.add(buffer.reservoir(s.stream()).read(k));
            }
            out.put(s.stream(), slots);
        }
        return out;
    }

    private static Map<String, byte[]> files(Path dir) {
        Map<String, byte[]> out = new TreeMap<>();
        try (var list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
