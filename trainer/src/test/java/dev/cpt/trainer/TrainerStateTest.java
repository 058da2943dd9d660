package dev.cpt.trainer;

import dev.cpt.trainer.data.FeedPosition;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code state.json}: positions inside block records survive a checkpoint; checkpoints from before blocks still load. */
class TrainerStateTest {

    private static final TopicPartition SEQ0 = new TopicPartition("cpt.sequences", 0);
    private static final TopicPartition SEQ1 = new TopicPartition("cpt.sequences", 1);
    private static final TopicPartition HELD0 = new TopicPartition("cpt.heldout", 0);

    @TempDir
    Path dir;

    /** A {@code state.json} as the trainer wrote it before block records: offsets only. */
    private static final String BEFORE_BLOCKS = """
            {
              "step" : 40,
              "tokens" : 5120,
              "tokensPerStream" : { "arith" : 4000 },
              "positions" : { "cpt.sequences:0" : 125, "cpt.sequences:1" : 7 },
              "heldoutPositions" : { "cpt.heldout:0" : 12 },
              "mixerSlots" : 160,
              "model" : { "context" : 32, "vocabSize" : 259 },
              "tokenizer" : "byte-v1",
              "rewarms" : [ { "at" : 10, "steps" : 5, "from" : 1.0E-4 } ],
              "configFingerprint" : "abc",
              "skippedSteps" : 0,
              "schedule" : "wsd",
              "branches" : { "lastStep" : 0, "lastFreshTokens" : 0, "lastMs" : 0 }
            }
            """;

    private static TrainerState state(Map<TopicPartition, FeedPosition> feed, Map<TopicPartition, FeedPosition> heldout) {
        return new TrainerState(40, 5120, Map.of("arith", 4000L), TrainerState.offsets(feed), TrainerState.skipsOf(feed),
                TrainerState.offsets(heldout), TrainerState.skipsOf(heldout), 160, Map.of("context", 32L, "vocabSize", 259L),
                "byte-v1", List.of(), "abc", 0, "wsd", null, null);
    }

    @Test
    void shouldLoadACheckpointFromBeforeBlocksWithEveryPositionAtARecordBoundary() throws IOException {
        Files.writeString(dir.resolve(TrainerState.FILE), BEFORE_BLOCKS);
        TrainerState s = TrainerState.read(dir);
        assertThat(s.skips()).isEmpty();
        assertThat(s.heldoutSkips()).isEmpty();
        assertThat(s.feedPositions()).containsExactly(Map.entry(SEQ0, FeedPosition.at(125)), Map.entry(SEQ1, FeedPosition.at(7)));
        assertThat(s.heldoutFeedPositions()).containsExactly(Map.entry(HELD0, FeedPosition.at(12)));
        assertThat(s.step()).isEqualTo(40);
    }

    @Test
    void shouldResumeInsideABlockFromTheCheckpointedSkips() throws IOException {
        Map<TopicPartition, FeedPosition> feed = Map.of(SEQ0, new FeedPosition(125, 3), SEQ1, FeedPosition.at(7));
        Map<TopicPartition, FeedPosition> heldout = Map.of(HELD0, new FeedPosition(12, 15));
        state(feed, heldout).write(dir);
        assertThat(Files.readString(dir.resolve(TrainerState.FILE))).contains("\"skips\"", "\"heldoutSkips\"");
        TrainerState read = TrainerState.read(dir);
        assertThat(read.feedPositions()).isEqualTo(feed);
        assertThat(read.heldoutFeedPositions()).isEqualTo(heldout);
        assertThat(read.skips()).as("only the partitions inside a block").containsExactly(Map.entry("cpt.sequences:0", 3));
    }

    @Test
    void shouldWriteNoSkipsAtRecordBoundariesSoThatTrainersFromBeforeBlocksCanReadTheCheckpoint() throws IOException {
        state(Map.of(SEQ0, FeedPosition.at(125)), Map.of(HELD0, FeedPosition.at(12))).write(dir);
        String json = Files.readString(dir.resolve(TrainerState.FILE));
        assertThat(json).doesNotContain("skips", "Skips");
        assertThat(TrainerState.read(dir).feedPositions()).containsExactly(Map.entry(SEQ0, FeedPosition.at(125)));
    }

    @Test
    void shouldRefuseASkipOfAPartitionWithoutAnOffset() throws IOException {
        Files.writeString(dir.resolve(TrainerState.FILE),
                BEFORE_BLOCKS.replace("\"heldoutPositions\"", "\"skips\" : { \"cpt.sequences:5\" : 2 },\n  \"heldoutPositions\""));
        assertThatThrownBy(() -> TrainerState.read(dir)).isInstanceOf(IOException.class).hasMessageContaining("cpt.sequences:5");
    }
}
