package dev.cpt.trainer.replay;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The batch split: replay replaces fresh sequences, and the replayed fraction carries to exactly r. */
class MixerTest {

    @Property(tries = 200)
    void replayedFractionOverAThousandBatchesIsRWithinOneThousandth(
            @ForAll @DoubleRange(min = 0, max = 1) double ratio, @ForAll @IntRange(min = 1, max = 512) int batch) {
        Mixer mixer = Mixer.of(ratio);
        long replayed = 0;
        for (int i = 0; i < 1_000; i++) {
            Mixer.Split split = mixer.split(batch, true);
            assertThat(split.replay()).isBetween(0, batch);
            assertThat(split.fresh() + split.replay()).isEqualTo(batch);
            replayed += split.replay();
            mixer = split.next();
        }
        assertThat((double) replayed / (1_000L * batch)).isCloseTo(ratio, within(1e-3));
        assertThat(replayed).isEqualTo(mixer.replayedAfter(1_000L * batch));
    }

    @Test
    void smallBatchesCarryTheRemainderInsteadOfRoundingItAway() {
        Mixer mixer = Mixer.defaults(); // 5% of 8 is 0.4: rounded per batch it would never replay
        int[] firstFive = new int[5];
        long replayed = 0;
        for (int i = 0; i < 1_000; i++) {
            Mixer.Split split = mixer.split(8, true);
            if (i < 5) {
                firstFive[i] = split.replay();
            }
            replayed += split.replay();
            mixer = split.next();
        }
        assertThat(firstFive).containsExactly(0, 1, 0, 1, 0); // totals round(0.4, 0.8, 1.2, 1.6, 2.0) = 0, 1, 1, 2, 2
        assertThat(replayed).isEqualTo(400);
    }

    @Test
    void firstBatchReplaysRoundOfRTimesBAndDecimalRatiosAreExact() {
        assertThat(Mixer.of(0.05).split(32, true).replay()).isEqualTo(2); // round(1.6)
        Mixer mixer = Mixer.of(0.29); // 0.29 * 100 is 28.999999999999996 in binary floating point
        for (int i = 0; i < 100; i++) {
            Mixer.Split split = mixer.split(100, true);
            assertThat(split.replay()).isEqualTo(29);
            mixer = split.next();
        }
    }

    @Test
    void anEmptyBufferGivesAnAllFreshBatchThatIsNotCounted(@TempDir Path dir) throws IOException {
        try (ReplayBuffer buffer = ReplayBuffer.create(dir, 10_000, 0)) {
            Mixer mixer = Mixer.of(0.25);
            Mixer.Split split = mixer.split(64, !buffer.isEmpty());
            assertThat(split.replay()).isZero();
            assertThat(split.fresh()).isEqualTo(64);
            assertThat(split.next()).isEqualTo(mixer); // no replay debt builds up while empty
            buffer.offer(Seqs.seq("web", 0, 4));
            assertThat(split.next().split(64, !buffer.isEmpty()).replay()).isEqualTo(16);
        }
    }

    @Test
    void aRestoredMixerContinuesExactly() {
        Mixer a = Mixer.of(0.07);
        for (int i = 0; i < 37; i++) {
            a = a.split(24, true).next();
        }
        Mixer b = new Mixer(a.ratio(), a.slots());
        for (int i = 0; i < 100; i++) {
            Mixer.Split sa = a.split(24, true);
            Mixer.Split sb = b.split(24, true);
            assertThat(sb).isEqualTo(sa);
            a = sa.next();
            b = sb.next();
        }
    }

    @Test
    void refusesRatiosOutsideZeroToOneAndEmptyBatches() {
        assertThatThrownBy(() -> Mixer.of(1.5)).hasMessageContaining("replay ratio must be in [0, 1]: 1.5");
        assertThatThrownBy(() -> Mixer.of(-0.1)).hasMessageContaining("[0, 1]: -0.1");
        assertThatThrownBy(() -> Mixer.of(Double.NaN)).hasMessageContaining("[0, 1]: NaN");
        assertThatThrownBy(() -> new Mixer(0.1, -1)).hasMessageContaining("slots must be >= 0: -1");
        assertThatThrownBy(() -> Mixer.defaults().split(0, true)).hasMessageContaining("batch size must be >= 1: 0");
        assertThat(Mixer.of(0).split(10, true).replay()).isZero();
        assertThat(Mixer.of(1).split(10, true).replay()).isEqualTo(10);
    }
}
