package dev.cpt.trainer.branch;

import dev.cpt.trainer.branch.BranchRequests.Outcome;
import dev.cpt.trainer.branch.BranchRequests.Pending;
import dev.cpt.trainer.branch.BranchRequests.Result;
import dev.cpt.trainer.schedule.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BranchRequestsTest {

    private static final BranchSpec SPEC = new BranchSpec(Shape.LINEAR, 20, 0.2, 0.0, new BranchData.Replay());

    @Test
    void shouldQueueUpToTheCapacityAndRefuseTheRestCountingBoth() {
        BranchRequests q = new BranchRequests(2);

        Outcome first = q.offer(SPEC, "a");
        Outcome second = q.offer(SPEC, "b");
        Outcome third = q.offer(SPEC, "c");

        assertThat(List.of(first.result(), second.result(), third.result()))
                .containsExactly(Result.QUEUED, Result.QUEUED, Result.QUEUE_FULL);
        assertThat(List.of(first.position(), second.position(), third.position())).containsExactly(1, 2, -1);
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.accepted()).isEqualTo(2);
        assertThat(q.refused()).isEqualTo(1);
    }

    @Test
    void shouldSayWhereARequestWasQueuedAndWhatItWillDo() {
        Outcome o = new BranchRequests(4).offer(SPEC, "http");

        assertThat(o.accepted()).isTrue();
        assertThat(o.message()).isEqualTo("queued at position 1: linear over 20 steps to 0.0 on replay");
    }

    @Test
    void shouldSayWhyAFullQueueRefusedAndWhatToDo() {
        BranchRequests q = new BranchRequests(1);
        q.offer(SPEC, "a");

        Outcome o = q.offer(SPEC, "b");

        assertThat(o.accepted()).isFalse();
        assertThat(o.message()).contains("refused: 1 branch requests are already waiting", "cpt.branch.queue.capacity=1",
                "try again after a branch finishes");
    }

    @ParameterizedTest
    @EnumSource(value = Result.class, names = "QUEUED", mode = EnumSource.Mode.EXCLUDE)
    void shouldCountOnlyAQueuedOutcomeAsAccepted(Result refusal) {
        assertThat(new Outcome(refusal, -1, "no").accepted()).isFalse();
        assertThat(new Outcome(Result.QUEUED, 1, "yes").accepted()).isTrue();
    }

    @Test
    void shouldHandOutRequestsOldestFirstAndMakeRoomAsTheyAreTaken() {
        BranchRequests q = new BranchRequests(2);
        q.offer(SPEC, "first");
        q.offer(SPEC, "second");

        assertThat(q.poll()).map(Pending::origin).contains("first");
        Outcome third = q.offer(SPEC, "third");
        assertThat(third.position()).isEqualTo(2);
        assertThat(q.poll()).map(Pending::origin).contains("second");
        assertThat(q.poll()).hasValueSatisfying(p -> {
            assertThat(p.origin()).isEqualTo("third");
            assertThat(p.spec()).isEqualTo(SPEC);
            assertThat(p.requestedMs()).isPositive();
        });
        assertThat(q.poll()).isEmpty();
        assertThat(q.size()).isZero();
    }

    @Test
    void shouldRefuseACapacityBelowOne() {
        assertThatThrownBy(() -> new BranchRequests(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue capacity must be >= 1: 0");
        assertThat(new BranchRequests(3).capacity()).isEqualTo(3);
    }

    @Test
    void shouldNeverQueueMoreThanTheCapacityUnderConcurrentOffers() throws Exception {
        int threads = 8;
        int perThread = 500;
        int capacity = 50;
        BranchRequests q = new BranchRequests(capacity);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Outcome>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                go.await();
                List<Outcome> out = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    out.add(q.offer(SPEC, id + "-" + i));
                }
                return out;
            }));
        }
        go.countDown();
        List<Outcome> all = new ArrayList<>();
        for (Future<List<Outcome>> f : futures) {
            all.addAll(f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(all.stream().filter(Outcome::accepted)).hasSize(capacity);
        assertThat(all.stream().filter(Outcome::accepted).map(Outcome::position)).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.rangeClosed(1, capacity).boxed().toList());
        assertThat(q.size()).isEqualTo(capacity);
        assertThat(q.accepted()).isEqualTo(capacity);
        assertThat(q.accepted() + q.refused()).isEqualTo((long) threads * perThread);
    }

    @Test
    void shouldKeepTheCountsExactAndTheQueueBoundedWhileATrainerDrainsItConcurrently() throws Exception {
        int threads = 6;
        int perThread = 2000;
        int capacity = 3;
        BranchRequests q = new BranchRequests(capacity);
        AtomicBoolean offering = new AtomicBoolean(true);
        AtomicInteger polled = new AtomicInteger();
        AtomicInteger worstPosition = new AtomicInteger();
        Thread trainer = new Thread(() -> {
            while (offering.get()) {
                q.poll().ifPresent(p -> polled.incrementAndGet());
                worstPosition.accumulateAndGet(q.size(), Math::max);
            }
        });
        trainer.start();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    Outcome o = q.offer(SPEC, "x");
                    worstPosition.accumulateAndGet(o.position(), Math::max);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        offering.set(false);
        trainer.join(10_000);
        pool.shutdown();

        assertThat(worstPosition.get()).isBetween(1, capacity);
        assertThat(q.accepted() + q.refused()).isEqualTo((long) threads * perThread);
        assertThat(q.accepted()).isEqualTo(polled.get() + q.size());
    }
}
