package dev.cpt.monitor.forgetting;

import dev.cpt.core.store.Manifest.Kind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.cpt.core.store.Manifest.Kind.MAIN;
import static dev.cpt.monitor.forgetting.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ForgettingMetersTest {

    private static final double EPS = 1e-12;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ForgettingMeters meters = new ForgettingMeters(registry);

    @ParameterizedTest(name = "{0} stream={1} branch={2}: {3}")
    @CsvSource({
            "cpt.eval.loss,                news, main,    3.125",
            "cpt.eval.loss.best,           news, main,    3.0",
            "cpt.forgetting,               news, main,    0.125",
            "cpt.eval.loss.after.training, code, main,    2.0",
            "cpt.eval.loss,                code, decayed, 1.625",
            "cpt.eval.loss.after.training, code, decayed, 1.75",
            "cpt.forgetting,               wiki, main,    0.25",
    })
    void perStreamGaugesShowTheWorkedExample(String name, String stream, String branch, double value) {
        meters.update(Forgetting.of(WorkedExample.matrix()));
        assertThat(registry.get(name).tags("stream", stream, "branch", branch).gauge().value()).isCloseTo(value, within(EPS));
    }

    @ParameterizedTest(name = "cpt.backward.transfer branch={0}: {1}")
    @CsvSource({"main, -0.375", "decayed, 0.125"})
    void backwardTransferGauges(String branch, double value) {
        meters.update(Forgetting.of(WorkedExample.matrix()));
        assertThat(registry.get("cpt.backward.transfer").tag("branch", branch).gauge().value()).isCloseTo(value, within(EPS));
    }

    @Test
    void backwardTransferIsRegisteredUpFrontAsNaN() {
        assertThat(registry.get("cpt.backward.transfer").gauges()).hasSize(2)
                .allSatisfy(g -> assertThat(g.value()).isNaN());
        assertThat(registry.getMeters()).hasSize(2);
    }

    @Test
    void eachGaugeIsRegisteredOnceAndUpdatedInPlace() {
        meters.update(Forgetting.of(Events.matrix(event("m1", MAIN, "news", 100, 4.0))));
        Gauge news = registry.get("cpt.eval.loss").tags("stream", "news", "branch", "main").gauge();
        assertThat(news.value()).isEqualTo(4.0);
        assertThat(registry.getMeters()).hasSize(2 + 4); // bwt x 2, news on main x 4

        meters.update(Forgetting.of(WorkedExample.matrix()));
        meters.update(Forgetting.of(WorkedExample.matrix()));
        // 3 streams x 2 branches x 4 gauges + 2 backward transfer
        assertThat(registry.getMeters()).hasSize(3 * 2 * 4 + 2);
        assertThat(registry.get("cpt.eval.loss").tags("stream", "news", "branch", "main").gauge()).isSameAs(news);
        assertThat(news.value()).isEqualTo(3.125);
    }

    @Test
    void aStreamMissingFromALaterReportReadsNaN() {
        meters.update(Forgetting.of(WorkedExample.matrix()));
        meters.update(Forgetting.of(Events.matrix(event("m1", MAIN, "news", 100, 4.0))));
        assertThat(registry.get("cpt.eval.loss").tags("stream", "code", "branch", "main").gauge().value()).isNaN();
        assertThat(registry.get("cpt.forgetting").tags("stream", "news", "branch", "decayed").gauge().value()).isNaN();
        assertThat(registry.get("cpt.backward.transfer").tag("branch", "decayed").gauge().value()).isNaN();
    }

    @Test
    void metersHaveDescriptionsNoBaseUnitAndOnlyStreamAndBranchTags() {
        meters.update(Forgetting.of(WorkedExample.matrix()));
        for (Meter m : registry.getMeters()) {
            Meter.Id id = m.getId();
            assertThat(id.getType()).isEqualTo(Meter.Type.GAUGE);
            assertThat(id.getDescription()).as(id.getName()).isNotBlank();
            assertThat(id.getBaseUnit()).as(id.getName()).isNull();
            List<String> keys = id.getTags().stream().map(Tag::getKey).toList();
            if (id.getName().equals("cpt.backward.transfer")) {
                assertThat(keys).containsExactly("branch");
            } else {
                assertThat(keys).containsExactlyInAnyOrder("stream", "branch");
            }
            assertThat(id.getTag("branch")).isIn(Kind.MAIN.word(), Kind.DECAYED.word());
        }
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).containsOnly(
                "cpt.eval.loss", "cpt.eval.loss.best", "cpt.forgetting", "cpt.eval.loss.after.training", "cpt.backward.transfer");
    }
}
