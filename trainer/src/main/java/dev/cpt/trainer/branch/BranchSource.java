package dev.cpt.trainer.branch;

import dev.cpt.core.format.TokenSequence;
import dev.cpt.trainer.data.FeedPosition;
import dev.cpt.trainer.data.SequenceFeed;
import dev.cpt.trainer.replay.ReplayBuffer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Where a branch's batches come from. Never touches the main run's consumer, positions or random state. */
public sealed interface BranchSource extends AutoCloseable {

    /** {@code n} sequences, or none when not that many arrived within {@code maxWait} (what arrived is kept). */
    List<TokenSequence> take(int n, Duration maxWait);

    @Override
    void close();

    /**
     * The data after the fork: the main run's not-yet-trained sequences first, then a separate
     * consumer from the main run's positions. It never commits; the main run trains on the same
     * data later (wsd), or continues after it (wsd-s: {@link #positions()} and {@link #leftover()}).
     */
    final class Upcoming implements BranchSource {
        private final SequenceFeed feed;
        private final List<TokenSequence> pending;

        public Upcoming(SequenceFeed feed, List<TokenSequence> mainPending) {
            this.feed = feed;
            this.pending = new ArrayList<>(mainPending);
        }

        @Override
        public List<TokenSequence> take(int n, Duration maxWait) {
            if (pending.size() < n) {
                pending.addAll(feed.take(n - pending.size(), maxWait));
            }
            if (pending.size() < n) {
                return List.of();
            }
            List<TokenSequence> out = new ArrayList<>(pending.subList(0, n));
            pending.subList(0, n).clear();
            return out;
        }

        /** Where the branch's consumer reads next, exactly (inside a block record too): where wsd-s resumes the main run. */
        public Map<TopicPartition, FeedPosition> positions() {
            return feed.positions();
        }

        /** Read but not trained on. */
        public List<TokenSequence> leftover() {
            return List.copyOf(pending);
        }

        @Override
        public void close() {
            feed.close();
        }
    }

    /** Draws from the replay reservoir with its own random generator; the reservoir is only read. */
    record Replayed(ReplayBuffer replay, Map<String, Double> weights, RandomGenerator rng) implements BranchSource {
        @Override
        public List<TokenSequence> take(int n, Duration maxWait) {
            return replay.sample(n, weights, rng);
        }

        @Override
        public void close() {
        }
    }
}
