package dev.cpt.monitor.registry;

import dev.cpt.core.store.Manifest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromotionGateTest {

    private static final PromotionGate GATE = new PromotionGate(0.01);

    private static Manifest m(String id, Map<String, Double> loss) {
        return Stores.loose(id, 1, loss, Map.of());
    }

    static Stream<Arguments> table() {
        Manifest latest = m("b000001-f100", Map.of("en", 1.50, "de", 2.00));
        return Stream.of(
                Arguments.of("no latest", m("b000002-f200", Map.of("en", 9.0)), null, "de",
                        true, List.of("no current latest")),
                Arguments.of("within bound, newest improved", m("b000002-f200", Map.of("en", 1.51, "de", 1.99)), latest, "de",
                        true, List.of("improved the newest stream de", "1.99 < 2")),
                Arguments.of("exactly at the bound", m("b000002-f200", Map.of("en", 1.5 * 1.01, "de", 1.9)), latest, "de",
                        true, List.of("promoted")),
                Arguments.of("regression beyond 1%", m("b000002-f200", Map.of("en", 1.52, "de", 1.90)), latest, "de",
                        false, List.of("stream en regressed", "1.52", "1.515", "1.5", "+1%")),
                Arguments.of("newest stream not improved", m("b000002-f200", Map.of("en", 1.49, "de", 2.00)), latest, "de",
                        false, List.of("did not improve the newest stream de", "2")),
                Arguments.of("newest stream worse but within bound", m("b000002-f200", Map.of("en", 1.49, "de", 2.01)), latest, "de",
                        false, List.of("did not improve the newest stream de")),
                Arguments.of("newest stream new to latest", m("b000002-f200", Map.of("en", 1.505, "de", 2.0, "fr", 3.0)), latest, "fr",
                        true, List.of("newest stream fr is new to latest b000001-f100")),
                Arguments.of("candidate lacks the newest stream", m("b000002-f200", Map.of("en", 1.4)), latest, "de",
                        false, List.of("no eval loss on the newest stream de")),
                Arguments.of("NaN is a regression", m("b000002-f200", Map.of("en", Double.NaN, "de", 1.0)), latest, "de",
                        false, List.of("stream en regressed", "NaN")),
                Arguments.of("two failures both named", m("b000002-f200", Map.of("en", 1.6, "de", 2.5)), latest, "de",
                        false, List.of("stream en regressed", "stream de regressed", "did not improve the newest stream de")),
                Arguments.of("no newest stream", m("b000002-f200", Map.of("en", 1.5, "de", 2.0)), latest, null,
                        true, List.of("no newest stream")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, Manifest candidate, Manifest latest, String newest, boolean promoted, List<String> reasonHas) {
        PromotionGate.Decision d = GATE.decide(candidate, Optional.ofNullable(latest), newest);
        assertThat(d.promoted()).as(d.reason()).isEqualTo(promoted);
        assertThat(d.reason()).contains(reasonHas);
    }

    @Test
    void newestStreamIsTheLastToAppearInCreationOrder() {
        List<Manifest> ms = List.of(
                Stores.loose("b000003-f300", 3, Map.of(), Map.of("en", 300L, "de", 200L, "fr", 5L)),
                Stores.loose("b000001-f100", 1, Map.of(), Map.of("en", 100L)),
                Stores.loose("b000002-f200", 2, Map.of(), Map.of("en", 200L, "de", 10L)),
                Stores.loose("b000004-f400", 4, Map.of(), Map.of("en", 400L, "de", 300L, "fr", 50L)));
        assertThat(PromotionGate.newestStream(ms)).contains("fr");
        assertThat(PromotionGate.newestStream(ms.subList(1, 3))).contains("de");
        // two streams first seen together: the one with fewer tokens is the newer
        assertThat(PromotionGate.newestStream(List.of(Stores.loose("a", 1, Map.of(), Map.of("x", 10L, "y", 5L))))).contains("y");
        assertThat(PromotionGate.newestStream(List.of())).isEmpty();
        assertThat(PromotionGate.newestStream(List.of(Stores.loose("a", 1, Map.of(), Map.of("x", 0L))))).isEmpty();
    }

    @Test
    void refusesANonsenseBound() {
        assertThatThrownBy(() -> new PromotionGate(-0.1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new PromotionGate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
