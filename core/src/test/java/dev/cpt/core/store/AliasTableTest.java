package dev.cpt.core.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The content of aliases.json and what retention must keep. */
class AliasTableTest {

    @Test
    void shouldProtectEveryAliasedAndEveryPinnedId() {
        AliasTable t = AliasTable.EMPTY
                .with(AliasTable.LATEST, "b000003-f900")
                .with(AliasTable.LATEST_DECAYED, "b000003-f900")
                .with(AliasTable.MAIN, "main-000000000900")
                .pin("b000001-f300", true)
                .pin("b000002-f600", true);

        assertThat(t.protectedIds()).containsExactlyInAnyOrder("b000003-f900", "main-000000000900", "b000001-f300", "b000002-f600");
        assertThat(t.get(AliasTable.LATEST)).contains("b000003-f900");
        assertThat(t.get("nope")).isEmpty();
    }

    @Test
    void shouldProtectNothingWhenEmpty() {
        assertThat(AliasTable.EMPTY.protectedIds()).isEmpty();
        assertThat(AliasTable.EMPTY.aliases()).isEmpty();
        assertThat(AliasTable.EMPTY.pinned()).isEmpty();
    }

    @Test
    void shouldMoveAnAliasAndUnpinWithoutTouchingTheRest() {
        AliasTable t = AliasTable.EMPTY.with("latest", "b000001-f1").pin("b000001-f1", true);

        AliasTable moved = t.with("latest", "b000002-f2").pin("b000001-f1", false).pin("never-pinned", false);

        assertThat(moved.aliases()).isEqualTo(Map.of("latest", "b000002-f2"));
        assertThat(moved.pinned()).isEmpty();
        assertThat(t.aliases()).as("the original is unchanged").isEqualTo(Map.of("latest", "b000001-f1"));
        assertThat(t.pinned()).containsExactly("b000001-f1");
    }

    @Test
    void shouldStampTheTimeOfTheChange() {
        long before = System.currentTimeMillis();

        AliasTable t = AliasTable.EMPTY.with("latest", "b000001-f1");

        assertThat(t.updatedMs()).isBetween(before, System.currentTimeMillis());
        assertThat(t.pin("x", true).updatedMs()).isGreaterThanOrEqualTo(t.updatedMs());
    }

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "''          | b000001-f1",
            "Latest      | b000001-f1",
            "../x        | b000001-f1",
            ".tmp-x      | b000001-f1",
            "a/b         | b000001-f1",
            "latest      | ''",
            "latest      | ../../etc",
            "latest      | B000001-F1",
            "latest      | /abs",
            "latest      | .hidden",
    })
    void shouldRefuseABadAliasOrId(String alias, String id) {
        assertThatThrownBy(() -> AliasTable.EMPTY.with(alias, id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(StoreLayout.ID.pattern());
    }

    @Test
    void shouldNotBeChangeableFromOutside() {
        AliasTable t = new AliasTable(new java.util.HashMap<>(Map.of("a", "b")), new java.util.HashSet<>(Set.of("c")), 1);

        assertThatThrownBy(() -> t.aliases().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> t.pinned().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
