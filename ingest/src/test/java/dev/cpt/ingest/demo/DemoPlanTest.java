package dev.cpt.ingest.demo;

import dev.cpt.core.format.StreamId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoPlanTest {

    @Test
    void standardPlanPushesWeatherFirstAndArithmeticLater() {
        DemoPlan plan = DemoPlan.standard();
        assertThat(plan.phases()).extracting(DemoPlan.Phase::stream).containsExactly("demo-weather", "demo-arith");
        assertThat(plan.phases()).extracting(DemoPlan.Phase::documents).containsOnly(DemoPlan.STANDARD_PHASE_DOCUMENTS);
        assertThat(plan.streams()).allMatch(StreamId::isValid);
    }

    @Test
    void documentsComeInPhaseOrderWithEachPhasesCount() {
        List<DemoDocument> docs = drain(DemoPlan.parse("demo-code:3,demo-arith:2").documents(4));
        assertThat(docs).extracting(DemoDocument::id).containsExactly(
                "demo-code/000000", "demo-code/000001", "demo-code/000002", "demo-arith/000000", "demo-arith/000001");
        assertThat(docs.get(4)).isEqualTo(SyntheticStreams.document("demo-arith", 4, 1));
    }

    @Test
    void aStreamThatComesBackGoesOnWhereItStoppedSoNoDocumentRepeats() {
        DemoPlan plan = DemoPlan.parse("demo-weather:3, demo-arith:1, demo-weather:2");
        List<DemoDocument> docs = drain(plan.documents(1));
        assertThat(docs).hasSize((int) plan.totalDocuments());
        assertThat(docs).extracting(DemoDocument::id).containsExactly("demo-weather/000000", "demo-weather/000001",
                "demo-weather/000002", "demo-arith/000000", "demo-weather/000003", "demo-weather/000004");
        assertThat(new HashSet<>(docs.stream().map(DemoDocument::text).toList())).hasSize(docs.size());
        assertThat(plan.streams()).containsExactly("demo-weather", "demo-arith");
    }

    @Test
    void samePlanAndSeedPushTheSameDocuments() {
        DemoPlan plan = DemoPlan.parse("demo-arith:5,demo-code:5");
        assertThat(drain(plan.documents(9))).isEqualTo(drain(plan.documents(9)));
        assertThat(drain(plan.documents(9))).isNotEqualTo(drain(plan.documents(10)));
    }

    @Test
    void exhaustedPlanSaysSo() {
        Iterator<DemoDocument> docs = DemoPlan.parse("demo-code:1").documents(0);
        docs.next();
        assertThat(docs.hasNext()).isFalse();
        assertThatThrownBy(docs::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void planReadsBackWhatItWrites() {
        DemoPlan plan = DemoPlan.parse(" demo-weather : 10 ,demo-arith:20");
        assertThat(plan.toString()).isEqualTo("demo-weather:10,demo-arith:20");
        assertThat(DemoPlan.parse(plan.toString())).isEqualTo(plan);
        assertThat(DemoPlan.parse(DemoPlan.standard().toString())).isEqualTo(DemoPlan.standard());
    }

    @Test
    void malformedPlansAreRejectedNamingTheProblem() {
        assertThatThrownBy(() -> DemoPlan.parse("")).hasMessageContaining("stream:documents");
        assertThatThrownBy(() -> DemoPlan.parse("demo-arith")).hasMessageContaining("stream:documents");
        assertThatThrownBy(() -> DemoPlan.parse("demo-arith:ten")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> DemoPlan.parse("demo-arith:0")).hasMessageContaining("at least one document");
        assertThatThrownBy(() -> DemoPlan.parse("demo-arith:5,")).hasMessageContaining("stream:documents");
        assertThatThrownBy(() -> DemoPlan.parse("novel:5")).hasMessageContaining("unknown demo stream 'novel'");
        assertThatThrownBy(() -> new DemoPlan(List.of())).hasMessageContaining("at least one phase");
    }

    private static List<DemoDocument> drain(Iterator<DemoDocument> docs) {
        List<DemoDocument> all = new ArrayList<>();
        docs.forEachRemaining(all::add);
        return all;
    }
}
