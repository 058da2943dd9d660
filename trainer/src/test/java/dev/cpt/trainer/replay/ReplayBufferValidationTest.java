package dev.cpt.trainer.replay;

import dev.cpt.core.format.TokenSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wrong input and damaged checkpoints are refused with messages that say what is wrong. */
class ReplayBufferValidationTest {

    @TempDir
    Path dir;

    @Test
    void refusesANegativeCapacity() {
        assertThatThrownBy(() -> ReplayBuffer.create(dir, -1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be >= 0 bytes: -1");
    }

    @Test
    void refusesACapacityThatCannotHoldOneSequenceAndLeavesNoFile() throws IOException {
        try (ReplayBuffer buffer = ReplayBuffer.create(dir, 100, 0)) {
            assertThatThrownBy(() -> buffer.offer(Seqs.seq("web", 0, 512)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("100 bytes per stream cannot hold one sequence of stream 'web'")
                    .hasMessageContaining("512 tokens of byte-v1");
            assertThat(dir.resolve("web.slots")).doesNotExist();
        }
    }

    @Test
    void refusesASequenceOfAnotherLengthOrTokenizerThanTheStreamsFirst() throws IOException {
        try (ReplayBuffer buffer = ReplayBuffer.create(dir, 10_000, 0)) {
            buffer.offer(Seqs.seq("web", 0, 16));
            assertThatThrownBy(() -> buffer.offer(Seqs.seq("web", 1, 17)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stream 'web': sequence #1 has 17 tokens of byte-v1/259")
                    .hasMessageContaining("holds 16 tokens of byte-v1/259");
            assertThatThrownBy(() -> buffer.offer(new TokenSequence("web", 2, "hf-0123456789abcdef", 259, new int[16])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same length and tokenizer");
            assertThat(buffer.streams().get("web").seen()).isEqualTo(1);
        }
    }

    @Test
    void refusesAStreamIdThatCouldNotBeAFileName() throws IOException {
        try (ReplayBuffer buffer = ReplayBuffer.create(dir, 10_000, 0)) {
            assertThatThrownBy(() -> buffer.offer(new TokenSequence("../etc", 0, "byte-v1", 259, new int[4])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream id '../etc' does not match");
        }
    }

    @Test
    void refusesNegativeSampleCountsAndInvalidWeights() throws IOException {
        try (ReplayBuffer buffer = ReplayBuffer.create(dir, 10_000, 0)) {
            buffer.offer(Seqs.seq("web", 0, 4));
            assertThatThrownBy(() -> buffer.sample(-1)).hasMessageContaining("negative number of sequences: -1");
            assertThatThrownBy(() -> buffer.sample(1, Map.of("web", -0.5))).hasMessageContaining("replay weight of stream 'web'");
            assertThatThrownBy(() -> buffer.sample(1, Map.of("web", Double.NaN))).hasMessageContaining("finite number >= 0: NaN");
            Map<String, Double> nullWeight = new HashMap<>();
            nullWeight.put("web", null);
            assertThatThrownBy(() -> buffer.sample(1, nullWeight)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void samplingAnEmptyBufferOrOnlyZeroWeightedStreamsSaysWhy() throws IOException {
        try (ReplayBuffer buffer = ReplayBuffer.create(dir, 10_000, 0)) {
            assertThat(buffer.sample(0)).isEmpty();
            assertThatThrownBy(() -> buffer.sample(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("replay buffer is empty");
            buffer.offer(Seqs.seq("web", 0, 4));
            assertThatThrownBy(() -> buffer.sample(1, Map.of("code", 1.0, "web", 0.0)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("give 0 to every stream the buffer holds [web]");
        }
    }

    @Test
    void refusesADirectoryWithoutState() {
        assertThatThrownBy(() -> ReplayBuffer.restore(dir.resolve("nothing"), dir.resolve("work")))
                .isInstanceOf(IOException.class).hasMessageContaining("no replay buffer state at").hasMessageContaining("replay.state");
    }

    @Test
    void refusesADamagedStateFile() throws IOException {
        Path ckpt = checkpoint();
        byte[] state = Files.readAllBytes(ckpt.resolve("replay.state"));
        state[20] ^= 1;
        Files.write(ckpt.resolve("replay.state"), state);
        assertThatThrownBy(() -> ReplayBuffer.restore(ckpt, dir.resolve("b"))).isInstanceOf(IOException.class).hasMessageContaining("CRC-32");
        Files.write(ckpt.resolve("replay.state"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> ReplayBuffer.restore(ckpt, dir.resolve("b"))).isInstanceOf(IOException.class).hasMessageContaining("bad magic");
    }

    @Test
    void refusesATruncatedOrMissingSlotFile() throws IOException {
        Path ckpt = checkpoint();
        try (FileChannel ch = FileChannel.open(ckpt.resolve("web.slots"), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1);
        }
        assertThatThrownBy(() -> ReplayBuffer.restore(ckpt, dir.resolve("b")))
                .isInstanceOf(IOException.class).hasMessageContaining("web.slots has").hasMessageContaining("the state says 10 sequences");
        Files.delete(ckpt.resolve("web.slots"));
        assertThatThrownBy(() -> ReplayBuffer.restore(ckpt, dir.resolve("b")))
                .isInstanceOf(IOException.class).hasMessageContaining("lacks web.slots");
    }

    @Test
    void refusesToRestoreIntoOrCheckpointIntoTheCheckpointOrWorkDirectory() throws IOException {
        Path ckpt = checkpoint();
        assertThatThrownBy(() -> ReplayBuffer.restore(ckpt, ckpt))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be the checkpoint directory");
        try (ReplayBuffer b = ReplayBuffer.create(dir.resolve("w"), 1_000, 0)) {
            assertThatThrownBy(() -> b.checkpoint(dir.resolve("w"))).hasMessageContaining("its own work directory");
        }
    }

    @Test
    void refusesASecondBufferOnTheSameWorkDirectoryUntilTheFirstIsClosed() throws IOException {
        ReplayBuffer first = ReplayBuffer.create(dir.resolve("w"), 1_000, 0);
        assertThatThrownBy(() -> ReplayBuffer.create(dir.resolve("w"), 1_000, 0))
                .isInstanceOf(IOException.class).hasMessageContaining("is in use by another replay buffer");
        first.close();
        ReplayBuffer.create(dir.resolve("w"), 1_000, 0).close();
    }

    private Path checkpoint() throws IOException {
        Path ckpt = dir.resolve("ckpt");
        try (ReplayBuffer a = ReplayBuffer.create(dir.resolve("a"), 10_000, 0)) {
            for (int i = 0; i < 10; i++) {
                a.offer(Seqs.seq("web", i, 4));
            }
            a.checkpoint(ckpt);
        }
        return ckpt;
    }
}
