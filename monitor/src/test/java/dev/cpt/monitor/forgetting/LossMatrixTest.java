package dev.cpt.monitor.forgetting;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cpt.core.format.CheckpointEvent;
import dev.cpt.core.format.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.cpt.core.store.Manifest.Kind.DECAYED;
import static dev.cpt.core.store.Manifest.Kind.MAIN;
import static dev.cpt.monitor.forgetting.Events.event;
import static dev.cpt.monitor.forgetting.Events.matrix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LossMatrixTest {

    private static final double EPS = 1e-12;

    @Test
    void columnsKeepArrivalOrderAndStreamsAreSorted() {
        LossMatrix m = WorkedExample.matrix();
        assertThat(m.columns()).extracting(LossMatrix.Column::id).containsExactly("m1", "m2", "m3", "d1", "m4", "m5", "d2");
        assertThat(m.columns(DECAYED)).extracting(LossMatrix.Column::id).containsExactly("d1", "d2");
        assertThat(m.streams()).containsExactly("code", "news", "wiki");
        assertThat(m.loss("wiki", "m3")).hasValue(4.5);
        assertThat(m.loss("wiki", "m1")).isEmpty(); // wiki appears at m2
        assertThat(m.loss("news", "nope")).isEmpty();
    }

    @Test
    void anEventWithAKnownIdReplacesItsColumnInPlace() {
        // m3 again, with code at 2.75 instead of 2.0
        CheckpointEvent again = event("m3", MAIN, "news", 300, 3.25, "code", 300, 2.75, "wiki", 100, 4.5);
        LossMatrix m = WorkedExample.matrix().with(again);
        assertThat(m.columns()).extracting(LossMatrix.Column::id).containsExactly("m1", "m2", "m3", "d1", "m4", "m5", "d2");
        assertThat(m.loss("code", "m3")).hasValue(2.75);
        ForgettingReport r = Forgetting.of(m);
        StreamForgetting code = r.stream(MAIN, "code").orElseThrow();
        // main code: 3.0, 2.5, 2.75, 2.25, 2.5 -> best 2.25 (m4); still last trained at m3, now after = 2.75
        assertThat(code.best()).isEqualTo(2.25);
        assertThat(code.forgetting()).isCloseTo(0.25, within(EPS));
        assertThat(code.after()).isEqualTo(2.75);
        // BWT_main = -mean(2.5 - 2.75, 4.25 - 4.0) = 0
        assertThat(r.backwardTransfer(MAIN)).isCloseTo(0.0, within(EPS));
        // the decayed series did not change
        assertThat(r.of(DECAYED)).isEqualTo(Forgetting.of(WorkedExample.matrix()).of(DECAYED));
    }

    @Test
    void replacingTheNewestColumnChangesNow() {
        LossMatrix m = WorkedExample.matrix().with(event("d2", DECAYED, "news", 520, 2.875, "code", 300, 2.0, "wiki", 160, 3.875));
        assertThat(m.columns()).hasSize(7);
        StreamForgetting code = Forgetting.of(m).stream(DECAYED, "code").orElseThrow();
        assertThat(code.now()).isEqualTo(2.0);
        assertThat(code.best()).isEqualTo(1.75);
        assertThat(Forgetting.of(m).backwardTransfer(DECAYED)).isCloseTo(-0.25, within(EPS));
    }

    @ParameterizedTest(name = "at most {0} columns per kind")
    @ValueSource(ints = {1, 2, 3, 4})
    void droppingOldColumnsKeepsTheReport(int max) {
        LossMatrix bounded = WorkedExample.matrix(max);
        assertThat(bounded.columns(MAIN)).hasSize(Math.min(max, 5));
        assertThat(bounded.columns(DECAYED)).hasSize(Math.min(max, 2));
        assertThat(bounded.columns().get(bounded.columns().size() - 1).id()).isEqualTo("d2");
        assertThat(bounded.streams()).containsExactly("code", "news", "wiki");
        assertThat(Forgetting.of(bounded)).isEqualTo(Forgetting.of(WorkedExample.matrix()));
    }

    @Test
    void bestAndAfterSurviveTheirColumnsBeingDropped() {
        LossMatrix m = WorkedExample.matrix(2); // keeps d1, m4, m5, d2
        assertThat(m.columns()).extracting(LossMatrix.Column::id).containsExactly("d1", "m4", "m5", "d2");
        assertThat(m.loss("code", "m3")).isEmpty();
        StreamForgetting code = Forgetting.of(m).stream(MAIN, "code").orElseThrow();
        assertThat(code.best()).isEqualTo(2.0);          // from m3, dropped
        assertThat(code.after()).isEqualTo(2.0);         // ditto
        assertThat(code.lastTrainedId()).isEqualTo("m3");
    }

    @Test
    void aStreamOnlyInDroppedColumnsIsStillReported() {
        LossMatrix m = matrix(1,
                event("m1", MAIN, "old", 10, 5.0, "a", 10, 3.0),
                event("m2", MAIN, "a", 20, 2.5));
        assertThat(m.columns()).extracting(LossMatrix.Column::id).containsExactly("m2");
        assertThat(m.streams()).containsExactly("a", "old");
        assertThat(Forgetting.of(m).stream(MAIN, "old").orElseThrow())
                .isEqualTo(new StreamForgetting("old", 5.0, 5.0, 0.0, 5.0, "m1", false));
    }

    @Test
    void aDroppedIdArrivesAgainAsANewColumn() {
        LossMatrix m = matrix(1, event("m1", MAIN, "a", 10, 3.0), event("m2", MAIN, "a", 20, 2.5))
                .with(event("m1", MAIN, "a", 10, 3.0));
        assertThat(m.columns()).extracting(LossMatrix.Column::id).containsExactly("m1");
        assertThat(Forgetting.of(m).of(MAIN).newestId()).isEqualTo("m1");
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new LossMatrix(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxColumnsPerKind must be >= 1");
        assertThatThrownBy(() -> new LossMatrix().with(event("", MAIN))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LossMatrix().with((CheckpointEvent) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void isImmutable() {
        LossMatrix empty = new LossMatrix();
        LossMatrix one = empty.with(event("m1", MAIN, "a", 10, 3.0));
        assertThat(empty.columns()).isEmpty();
        assertThat(one.columns()).hasSize(1);
        assertThatThrownBy(() -> one.columns().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> one.columns().get(0).loss().put("b", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toJsonHasTheShapeOfGetForgetting() throws Exception {
        JsonNode root = Json.MAPPER.readTree(WorkedExample.matrix(4).toJson()); // m1 dropped
        assertThat(root.fieldNames()).toIterable().containsExactlyInAnyOrder("streams", "checkpoints", "forgetting");
        assertThat(texts(root.get("streams"))).containsExactly("code", "news", "wiki");

        JsonNode checkpoints = root.get("checkpoints");
        List<String> ids = new ArrayList<>();
        checkpoints.forEach(c -> ids.add(c.get("id").asText()));
        assertThat(ids).containsExactly("m2", "m3", "d1", "m4", "m5", "d2");
        JsonNode d1 = checkpoints.get(2);
        assertThat(d1.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "kind", "step", "tokens", "timestampMs", "loss");
        assertThat(d1.get("kind").asText()).isEqualTo("decayed");
        assertThat(d1.get("step").asLong()).isEqualTo(1);
        assertThat(d1.get("tokens").asLong()).isEqualTo(320 + 300 + 110);
        assertThat(d1.get("timestampMs").asLong()).isEqualTo(1000);
        Map<String, Double> loss = Json.MAPPER.convertValue(d1.get("loss"), new TypeReference<Map<String, Double>>() { });
        assertThat(loss).isEqualTo(Map.of("news", 3.0, "code", 1.75, "wiki", 4.125));

        JsonNode main = root.get("forgetting").get("main");
        assertThat(main.get("newestId").asText()).isEqualTo("m5");
        assertThat(main.get("backwardTransfer").asDouble()).isCloseTo(-0.375, within(EPS));
        JsonNode code = main.get("streams").get("code");
        assertThat(code.get("now").asDouble()).isEqualTo(2.5);
        assertThat(code.get("best").asDouble()).isEqualTo(2.0);
        assertThat(code.get("forgetting").asDouble()).isEqualTo(0.5);
        assertThat(code.get("after").asDouble()).isEqualTo(2.0);
        assertThat(code.get("lastTrainedId").asText()).isEqualTo("m3");
        assertThat(code.get("stillTraining").asBoolean()).isFalse();
        assertThat(root.get("forgetting").get("decayed").get("backwardTransfer").asDouble()).isCloseTo(0.125, within(EPS));
    }

    @Test
    void toJsonWritesNaNAsNull() throws Exception {
        JsonNode f = Json.MAPPER.readTree(new LossMatrix().toJson()).get("forgetting");
        for (String kind : List.of("main", "decayed")) {
            assertThat(f.get(kind).get("backwardTransfer").isNull()).isTrue();
            assertThat(f.get(kind).get("newestId").isNull()).isTrue();
            assertThat(f.get(kind).get("streams").size()).isZero();
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
