package dev.cpt.monitor.forgetting;

import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.store.Manifest.Kind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants of the report over random histories of checkpoints. */
class ForgettingPropertiesTest {

    private static final List<String> STREAMS = List.of("a", "b", "c", "d");

    /** One step of a history: a new checkpoint, or a re-announcement of the newest one with other numbers. */
    record Step(Kind kind, boolean replaceNewest, Map<String, Long> growth, Map<String, Double> loss) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Map<String, Long>> growth = Arbitraries.longs().between(0, 3).list().ofSize(STREAMS.size()).map(g -> {
            Map<String, Long> m = new LinkedHashMap<>();
            for (int i = 0; i < STREAMS.size(); i++) {
                m.put(STREAMS.get(i), g.get(i));
            }
            return m;
        });
        // a stream may be missing from a column (not yet seen, or a failed evaluation: NaN)
        Arbitrary<Double> one = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.doubles().between(0.5, 8.0)),
                Tuple.of(1, Arbitraries.just(Double.NaN)),
                Tuple.of(1, Arbitraries.just(-1.0))); // -1: absent
        Arbitrary<Map<String, Double>> loss = one.list().ofSize(STREAMS.size()).map(l -> {
            Map<String, Double> m = new LinkedHashMap<>();
            for (int i = 0; i < STREAMS.size(); i++) {
                if (l.get(i) != -1.0) {
                    m.put(STREAMS.get(i), l.get(i));
                }
            }
            return m;
        });
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 4).map(i -> i == 0), growth, loss).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 300)
    void droppingOldColumnsNeverChangesTheReport(@ForAll("histories") List<Step> history, @ForAll @IntRange(min = 1, max = 6) int max) {
        LossMatrix all = new LossMatrix(Integer.MAX_VALUE);
        LossMatrix bounded = new LossMatrix(max);
        for (CheckpointEvent e : events(history)) {
            all = all.with(e);
            bounded = bounded.with(e);
            assertThat(Forgetting.of(bounded)).isEqualTo(Forgetting.of(all));
            assertThat(bounded.streams()).isEqualTo(all.streams());
        }
        for (Kind k : Kind.values()) {
            assertThat(bounded.columns(k).size()).isLessThanOrEqualTo(max);
        }
    }

    @Property(tries = 300)
    void forgettingIsNowMinusBestAndBestIsTheMinimum(@ForAll("histories") List<Step> history) {
        LossMatrix m = new LossMatrix();
        for (CheckpointEvent e : events(history)) {
            m = m.with(e);
        }
        ForgettingReport r = Forgetting.of(m);
        for (Kind k : Kind.values()) {
            for (StreamForgetting s : r.of(k).streams().values()) {
                double min = Double.POSITIVE_INFINITY;
                double now = Double.NaN;
                for (LossMatrix.Column c : m.columns(k)) {
                    Double v = c.loss().get(s.stream());
                    if (v != null) {
                        min = Math.min(min, v);
                        now = v;
                    }
                }
                assertThat(s.best()).isEqualTo(min);
                assertThat(s.now()).isEqualTo(now);
                assertThat(s.forgetting()).isEqualTo(s.now() - s.best()).isGreaterThanOrEqualTo(0.0);
                assertThat(s.stillTraining()).isEqualTo(s.lastTrainedId().equals(r.of(k).newestId()));
                if (s.stillTraining()) {
                    assertThat(s.after()).isEqualTo(s.now());
                }
            }
        }
    }

    /** The events of a history: ids per kind in order, cumulative tokens per stream and kind. */
    private static List<CheckpointEvent> events(List<Step> history) {
        List<CheckpointEvent> out = new ArrayList<>();
        Map<Kind, Map<String, Long>> tokens = new LinkedHashMap<>();
        Map<Kind, Integer> count = new LinkedHashMap<>();
        CheckpointEvent newest = null;
        for (Step s : history) {
            Map<String, Long> t = tokens.computeIfAbsent(s.kind(), k -> new LinkedHashMap<>());
            s.growth().forEach((stream, g) -> t.merge(stream, g, Long::sum));
            String id;
            Kind kind = s.kind();
            if (s.replaceNewest() && newest != null) {
                id = newest.id();
                kind = newest.kind();
            } else {
                int n = count.merge(s.kind(), 1, Integer::sum);
                id = s.kind().word() + "-" + n;
            }
            newest = new CheckpointEvent(out.size(), id, kind, out.size(), out.size(), 0, Map.copyOf(t), s.loss(), null, id, id);
            out.add(newest);
        }
        return out;
    }
}
