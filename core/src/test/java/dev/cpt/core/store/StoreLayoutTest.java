package dev.cpt.core.store;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Checkpoint ids and where their folders are: never outside the store, whatever the id. */
class StoreLayoutTest {

    private static final Path ROOT = Path.of("/srv/cpt/store").toAbsolutePath();
    private static final StoreLayout LAYOUT = new StoreLayout(ROOT);

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "..", ".", "../etc", "a/../../etc", "../../../etc/passwd", "a/b", "a\\b", "..\\x",
            "a%2fb", "a%2F..%2Fb", "%2e%2e", "/etc/passwd", "/abs", "\\abs", ".hidden", ".tmp-b000001-f10",
            "Main-000000000001", "B000001-f10", "latestDecayed", "a b", "a\tb", "a\nb", "a:b", "é", "a\u0000b",
            "~root", "-dash", "_under"})
    void shouldRefuseMalformedOrEscapingIds(String id) {
        assertThat(LAYOUT.dirOf(id)).isEmpty();
    }

    @Test
    void shouldRefuseNullId() {
        assertThat(LAYOUT.dirOf(null)).isEmpty();
    }

    @Test
    void shouldAcceptIdsUpTo64CharactersAndRefuseLonger() {
        String max = "b" + "0".repeat(63);

        assertThat(LAYOUT.dirOf(max)).contains(ROOT.resolve("branches").resolve(max));
        assertThat(LAYOUT.dirOf(max + "0")).isEmpty();
        assertThat(LAYOUT.dirOf("x".repeat(1000))).isEmpty();
    }

    @Test
    void shouldMapMainIdsToTwelveDigitFoldersUnderMain() {
        assertThat(LAYOUT.dirOf("main-000000001200")).contains(ROOT.resolve("main").resolve("000000001200"));
        assertThat(LAYOUT.dirOf(StoreLayout.mainId(42))).contains(LAYOUT.mainCheckpoint(42));
        assertThat(LAYOUT.mainCheckpoint(42)).isEqualTo(ROOT.resolve("main/000000000042"));
        assertThat(StoreLayout.mainId(42)).isEqualTo("main-000000000042");
        assertThat(StoreLayout.stepName(0)).isEqualTo("000000000000");
    }

    @Test
    void shouldMapBranchAndOtherIdsToFoldersUnderBranches() {
        assertThat(LAYOUT.dirOf("b000003-f1200")).contains(ROOT.resolve("branches/b000003-f1200"));
        // not a well-formed main id (not 12 digits): a plain name under branches/, never main/
        assertThat(LAYOUT.dirOf("main-12")).contains(ROOT.resolve("branches/main-12"));
        assertThat(LAYOUT.dirOf("a..b")).contains(ROOT.resolve("branches/a..b"));
    }

    @Test
    void shouldNameTheStoreFilesAndFolders() {
        assertThat(LAYOUT.main()).isEqualTo(ROOT.resolve("main"));
        assertThat(LAYOUT.branches()).isEqualTo(ROOT.resolve("branches"));
        assertThat(LAYOUT.aliases()).isEqualTo(ROOT.resolve("aliases.json"));
    }

    @Property(tries = 3000)
    void shouldNeverResolveAnIdOutsideTheStore(@ForAll("idLike") String id) {
        Optional<Path> dir = LAYOUT.dirOf(id);
        Statistics.label("dirOf").collect(dir.isEmpty() ? "refused" : StoreLayout.isMainId(id) ? "main" : "branches");
        Statistics.label("dirOf").coverage(c -> {
            c.check("main").count(n -> n > 0);
            c.check("branches").percentage(p -> p > 10);
            c.check("refused").percentage(p -> p > 10);
        });

        dir.ifPresent(d -> {
            Path n = d.normalize();
            assertThat(n).isEqualTo(d);
            assertThat(n).startsWithRaw(ROOT);
            assertThat(n.getParent()).isIn(ROOT.resolve("main"), ROOT.resolve("branches"));
            assertThat(n.getFileName().toString()).doesNotStartWith(".").doesNotContain("/", "\\");
        });
    }

    @Property(tries = 1000)
    void shouldNeverResolveAnArbitraryStringOutsideTheStore(@ForAll String id) {
        LAYOUT.dirOf(id).ifPresent(d -> {
            assertThat(d.normalize()).startsWithRaw(ROOT);
            assertThat(d.normalize().getParent()).isIn(ROOT.resolve("main"), ROOT.resolve("branches"));
        });
    }

    @Property(tries = 300)
    void shouldGiveDistinctIdsDistinctFolders(@ForAll("idLike") String a, @ForAll("idLike") String b) {
        Optional<Path> da = LAYOUT.dirOf(a);
        Optional<Path> db = LAYOUT.dirOf(b);
        if (!a.equals(b) && da.isPresent() && db.isPresent()) {
            assertThat(da.get()).isNotEqualTo(db.get());
        }
    }

    /** Strings built from the pieces an attacker would use, so that many of them are accepted ids. */
    @Provide
    Arbitrary<String> idLike() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.just("main-").flatMap(m -> Arbitraries.strings().numeric().ofLength(12).map(n -> m + n)),
                Arbitraries.of("..", ".", "/", "\\", "%2f", "%2F", "%2e", "main-", "b", "-f", "~", " ", "\u0000", "A", "é", ":"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(4),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().withChars("._-").ofMinLength(1).ofMaxLength(2));
        return piece.list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l));
    }

    @Property
    void shouldMapEveryMainIdToItsStepFolder(@ForAll @LongRange(min = 0, max = 999_999_999_999L) long step) {
        String id = StoreLayout.mainId(step);

        assertThat(StoreLayout.isMainId(id)).isTrue();
        assertThat(StoreLayout.branchSeq(id)).isEqualTo(-1);
        assertThat(LAYOUT.dirOf(id)).contains(LAYOUT.mainCheckpoint(step));
    }

    @Property
    void shouldReadBackTheSequenceOfEveryBranchId(@ForAll @LongRange(min = 0, max = 999_999_999_999L) long seq,
                                                  @ForAll @LongRange(min = 0) long forkStep) {
        String id = StoreLayout.branchId(seq, forkStep);

        assertThat(StoreLayout.branchSeq(id)).isEqualTo(seq);
        assertThat(StoreLayout.isMainId(id)).isFalse();
        assertThat(StoreLayout.ID.matcher(id).matches()).isTrue();
        assertThat(LAYOUT.dirOf(id)).contains(LAYOUT.branches().resolve(id));
    }

    @Property(tries = 300)
    void shouldSortBranchIdsInCreationOrder(
            @ForAll @Size(min = 2, max = 30) @UniqueElements List<@LongRange(min = 0, max = 999_999) Long> seqs,
            @ForAll @Size(30) List<@LongRange(min = 0, max = 10_000_000_000L) Long> forkSteps) {
        List<Long> created = new ArrayList<>(seqs);
        Collections.sort(created);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < created.size(); i++) {
            ids.add(StoreLayout.branchId(created.get(i), forkSteps.get(i)));
        }
        List<String> sorted = new ArrayList<>(ids);
        Collections.shuffle(sorted);
        Collections.sort(sorted);

        assertThat(sorted).isEqualTo(ids);
    }

    @Test
    void shouldFormatBranchIdsWithSixDigitSequence() {
        assertThat(StoreLayout.branchId(3, 1200)).isEqualTo("b000003-f1200");
        assertThat(StoreLayout.branchSeq("b000003-f1200")).isEqualTo(3);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "latest", "main-000000000001", "b00001-f1", "b000001-f", "b000001", "bx00001-f1",
            "b000001-f1x", "xb000001-f1"})
    void shouldGiveMinusOneForAnIdThatIsNotABranch(String id) {
        assertThat(StoreLayout.branchSeq(id)).isEqualTo(-1);
    }

    @Test
    void shouldGiveMinusOneRatherThanFailForABranchSequenceBeyondALong() {
        // a well-formed id (it matches ID, so dirOf accepts it and an HTTP route may well pass it on)
        String id = "b99999999999999999999-f1";
        assertThat(LAYOUT.dirOf(id)).isPresent();

        assertThat(StoreLayout.branchSeq(id)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"main-000000000001", "main-999999999999"})
    void shouldRecogniseMainIds(String id) {
        assertThat(StoreLayout.isMainId(id)).isTrue();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"main", "main-1", "main-0000000000001", "main-00000000000a", "Main-000000000001",
            "b000001-f1", "xmain-000000000001", "main-000000000001x", ""})
    void shouldNotTakeOtherIdsForMainIds(String id) {
        assertThat(StoreLayout.isMainId(id)).isFalse();
    }

    @Test
    void shouldWriteIdsWithAsciiDigitsWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            for (String tag : List.of("th-TH-u-nu-thai", "ar-EG", "hi-IN-u-nu-deva", "fa-IR")) {
                Locale.setDefault(Locale.forLanguageTag(tag));

                assertThat(StoreLayout.mainId(5)).as(tag).isEqualTo("main-000000000005");
                assertThat(StoreLayout.branchId(3, 7)).as(tag).isEqualTo("b000003-f7");
                assertThat(LAYOUT.mainCheckpoint(5)).as(tag).isEqualTo(ROOT.resolve("main/000000000005"));
                assertThat(LAYOUT.dirOf(StoreLayout.mainId(5))).as(tag).contains(LAYOUT.mainCheckpoint(5));
            }
        } finally {
            Locale.setDefault(before);
        }
    }
}
