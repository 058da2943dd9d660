package dev.cpt.ingest.bench;

import dev.cpt.core.config.Config;
import dev.cpt.core.format.DocHeaders;
import dev.cpt.ingest.topology.IngestOptions;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorpusReaderTest {

    @TempDir
    Path dir;

    private static String line(String id, String stream, String text) {
        return "{\"id\":\"" + id + "\",\"stream\":\"" + stream + "\",\"text\":\"" + text + "\"}";
    }

    @Test
    void shouldReadEveryDocumentOfAJsonlFileInLineOrderSkippingBlankLines() throws Exception {
        Path file = dir.resolve("c.jsonl");
        Files.writeString(file, line("a", "s1", "first") + "\n\n   \n" + "{\"stream\":\"s2\",\"text\":\"no id\",\"extra\":1}\n");

        List<BenchDocument> docs = CorpusReader.read(file);

        assertThat(docs).containsExactly(new BenchDocument("a", "s1", "first"), new BenchDocument(null, "s2", "no id"));
    }

    @Test
    void shouldReadTheJsonlFilesOfADirectoryInPathOrderAndIgnoreOtherFiles() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("b.jsonl"), line("b", "s", "from b") + "\n");
        Files.writeString(dir.resolve("a.jsonl"), line("a", "s", "from a") + "\n");
        Files.writeString(dir.resolve("sub/c.jsonl"), line("c", "s", "from sub/c") + "\n");
        Files.writeString(dir.resolve("notes.txt"), "not a corpus file");

        List<BenchDocument> docs = CorpusReader.read(dir);

        assertThat(docs).extracting(BenchDocument::id).containsExactly("a", "b", "c");
    }

    @Test
    void shouldCycleASmallCorpusUntilTheTargetMakingEveryRepeatUnique() {
        List<BenchDocument> corpus = List.of(new BenchDocument("x", "s", "0123456789"), new BenchDocument(null, "s", "abcdefghij"));

        List<BenchDocument> docs = drain(CorpusReader.cycle(corpus, 47));

        assertThat(docs).extracting(BenchDocument::text)
                .containsExactly("0123456789", "abcdefghij", "0123456789 #1", "abcdefghij #1", "0123456789 #2")
                .doesNotHaveDuplicates();
        assertThat(docs).extracting(BenchDocument::id).containsExactly("x", null, "x#1", null, "x#2");
        long bytes = docs.stream().mapToLong(BenchDocument::textBytes).sum();
        assertThat(bytes).isGreaterThanOrEqualTo(47);
        assertThat(bytes - docs.get(docs.size() - 1).textBytes()).isLessThan(47);
    }

    @Test
    void shouldStopInsideTheFirstPassWhenTheCorpusIsLargerThanTheTarget() {
        List<BenchDocument> corpus = List.of(new BenchDocument("1", "s", "aaaa"), new BenchDocument("2", "s", "bbbb"),
                new BenchDocument("3", "s", "cccc"));

        assertThat(drain(CorpusReader.cycle(corpus, 5))).extracting(BenchDocument::id).containsExactly("1", "2");
    }

    @Test
    void shouldMakeRepeatsThatTheIngestKeepsAsNewDocuments() {
        List<BenchDocument> corpus = List.of(new BenchDocument("d1", "s", "same words here"), new BenchDocument("d2", "t", "other  text"));
        Expectation expectation = new Expectation(IngestOptions.from(Config.defaults()));

        for (BenchDocument d : drain(CorpusReader.cycle(corpus, 1000))) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(DocHeaders.FORMAT, DocHeaders.FORMAT_JSON.getBytes(StandardCharsets.UTF_8));
            expectation.add(d.stream().getBytes(StandardCharsets.UTF_8), BenchLoader.json(d), headers, d.textBytes());
        }

        assertThat(expectation.records()).isGreaterThan(2);
        assertThat(expectation.duplicates()).isZero();
        assertThat(expectation.rejected()).isZero();
        assertThat(expectation.accepted()).isEqualTo(expectation.records());
    }

    @Test
    void shouldNameTheFileAndLineOfABadLine() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, line("a", "s", "ok") + "\n{\"stream\":\"s\"}\n");

        assertThatThrownBy(() -> CorpusReader.read(file)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(file + ":2").hasMessageContaining("missing \"text\"");
    }

    @Test
    void shouldRefuseAMissingCorpusAndADirectoryWithoutDocuments() throws Exception {
        Files.writeString(dir.resolve("readme.txt"), "no jsonl here");

        assertThatThrownBy(() -> CorpusReader.read(dir.resolve("nope.jsonl"))).isInstanceOf(CorpusException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> CorpusReader.read(dir)).isInstanceOf(CorpusException.class)
                .hasMessageContaining("holds no documents");
    }

    private static List<BenchDocument> drain(Iterator<BenchDocument> it) {
        List<BenchDocument> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
