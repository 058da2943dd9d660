package dev.cpt.monitor.registry;

import dev.cpt.core.format.Json;
import dev.cpt.core.store.AliasFile;
import dev.cpt.core.store.AliasTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromotionsTest {

    @TempDir
    Path store;

    @Test
    void persistsDecisionsAtomicallyAndReadsThemBack() throws Exception {
        Promotions p = new Promotions(store);
        Promotion a = p.record("b000002-f200", new PromotionGate.Decision(false, "refused: because"), Optional.of("b000001-f100"));
        Promotion b = p.record("b000001-f100", new PromotionGate.Decision(true, "promoted: there is no current latest"), Optional.empty());
        assertThat(p.read("b000002-f200")).contains(a);
        assertThat(p.read("b000001-f100")).contains(b);
        assertThat(b.comparedTo()).isNull();
        assertThat(p.read("b000009-f900")).isEmpty();
        assertThat(p.read("../aliases")).isEmpty();

        var tree = Json.MAPPER.readTree(store.resolve("promotions/b000002-f200.json").toFile());
        assertThat(tree.get("id").asText()).isEqualTo("b000002-f200");
        assertThat(tree.get("promoted").asBoolean()).isFalse();
        assertThat(tree.get("reason").asText()).isEqualTo("refused: because");
        assertThat(tree.get("comparedTo").asText()).isEqualTo("b000001-f100");
        assertThat(tree.get("decidedMs").asLong()).isPositive();
        try (Stream<Path> files = Files.list(store.resolve("promotions"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("b000001-f100.json", "b000002-f200.json");
        }
        // a later decision replaces the earlier one
        Promotion again = p.record("b000002-f200", new PromotionGate.Decision(true, "promoted: ok"), Optional.empty());
        assertThat(p.read("b000002-f200")).contains(again);
        assertThatThrownBy(() -> p.record("../x", new PromotionGate.Decision(true, "r"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void promoterDecidesPersistsAndMovesLatest() throws Exception {
        Stores.branch(store, "b000001-f100", 1_000, 110, Map.of("en", 1.5), Map.of("en", 100L), 64);
        Stores.branch(store, "b000002-f200", 2_000, 210, Map.of("en", 1.4, "de", 2.0), Map.of("en", 200L, "de", 10L), 64);
        Stores.branch(store, "b000003-f300", 3_000, 310, Map.of("en", 1.6, "de", 1.9), Map.of("en", 300L, "de", 20L), 64);
        try (Registry r = new Registry(store)) {
            Promotions ps = new Promotions(store);
            Promoter promoter = new Promoter(r, ps, new PromotionGate(0.01));
            assertThat(promoter.consider("b000001-f100").promoted()).isTrue();
            Promotion second = promoter.consider("b000002-f200");
            assertThat(second.promoted()).as(second.reason()).isTrue();
            assertThat(second.comparedTo()).isEqualTo("b000001-f100");
            Promotion third = promoter.consider("b000003-f300");
            assertThat(third.promoted()).isFalse();
            assertThat(third.reason()).contains("stream en regressed");
            assertThat(AliasFile.read(store).get(AliasTable.LATEST)).contains("b000002-f200");
            assertThat(ps.read("b000003-f300")).contains(third);
        }
    }
}
