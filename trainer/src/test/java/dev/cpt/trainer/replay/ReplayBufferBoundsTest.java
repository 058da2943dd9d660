package dev.cpt.trainer.replay;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A stream's slot file never exceeds the configured capacity in bytes, in the work directory or a checkpoint. */
class ReplayBufferBoundsTest {

    @TempDir
    Path dir;

    @Test
    void slotFileNeverExceedsTheCapacityAndHoldsMinOfSeenAndCapacity() throws IOException {
        int record = Seqs.recordBytes("web", 32, Seqs.VOCAB);
        long capacityBytes = 1_000;
        long slots = capacityBytes / record;
        try (ReplayBuffer buffer = ReplayBuffer.create(dir.resolve("work"), capacityBytes, 1)) {
            for (int i = 0; i < 500; i++) {
                buffer.offer(Seqs.seq("web", i, 32));
                long size = Files.size(dir.resolve("work/web.slots"));
                assertThat(size).isLessThanOrEqualTo(capacityBytes).isEqualTo(Math.min(i + 1, slots) * record);
            }
            StreamStats stats = buffer.streams().get("web");
            assertThat(stats).isEqualTo(new StreamStats("web", 500, slots, slots, record));
            assertThat(stats.bytes()).isLessThanOrEqualTo(capacityBytes);
            buffer.checkpoint(dir.resolve("ckpt"));
            assertThat(Files.size(dir.resolve("ckpt/web.slots"))).isEqualTo(slots * record);
        }
    }

    @Test
    void eachStreamHasItsOwnBoundForItsOwnSequenceSize() throws IOException {
        try (ReplayBuffer buffer = ReplayBuffer.create(dir, 4_096, 1)) {
            for (int i = 0; i < 300; i++) {
                buffer.offer(Seqs.seq("short", i, 8));
                buffer.offer(Seqs.seq("long", i, 256));
                buffer.offer(Seqs.seq("wide", i, 64, 100_000)); // 32-bit tokens
            }
            assertThat(buffer.streams().values()).allSatisfy(s -> {
                assertThat(s.capacity()).isEqualTo(4_096 / s.recordBytes());
                assertThat(Files.size(dir.resolve(s.stream() + ".slots"))).isLessThanOrEqualTo(4_096).isEqualTo(s.bytes());
            });
        }
    }

    @Test
    void zeroCapacityKeepsNothing() throws IOException {
        try (ReplayBuffer buffer = ReplayBuffer.create(dir, 0, 1)) {
            assertThat(buffer.offer(Seqs.seq("web", 0, 8))).isFalse();
            assertThat(buffer.isEmpty()).isTrue();
            assertThat(buffer.streams()).isEmpty();
        }
    }

    @Property(tries = 40)
    void slotFileIsBoundedForAnyCapacityLengthAndNumberOfOffers(
            @ForAll @IntRange(min = 1, max = 64) int length,
            @ForAll @IntRange(min = 0, max = 4_000) int extraBytes,
            @ForAll @IntRange(min = 0, max = 300) int offers) throws IOException {
        Path work = Files.createTempDirectory("replay-bounds");
        long capacityBytes = Seqs.recordBytes("p", length, Seqs.VOCAB) + extraBytes;
        try (ReplayBuffer buffer = ReplayBuffer.create(work, capacityBytes, length)) {
            for (int i = 0; i < offers; i++) {
                buffer.offer(Seqs.seq("p", i, length));
                assertThat(Files.size(work.resolve("p.slots"))).isLessThanOrEqualTo(capacityBytes);
            }
        } finally {
            Seqs.deleteTree(work);
        }
    }
}
