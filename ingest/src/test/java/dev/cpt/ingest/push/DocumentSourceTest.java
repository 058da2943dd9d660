package dev.cpt.ingest.push;

import dev.cpt.core.format.DocHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class DocumentSourceTest {

    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();

    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    private static SourceOptions stream(String s) {
        return new SourceOptions(Optional.of(s), false, BadLinePolicy.SKIP);
    }

    private static SourceOptions noStream() {
        return new SourceOptions(Optional.empty(), false, BadLinePolicy.SKIP);
    }

    private DocumentSource open(SourceOptions options, InputStream stdin, PushInput... inputs) {
        return DocumentSource.open(List.of(inputs), options, stdin, problems::add);
    }

    private static List<PushRecord> drain(DocumentSource source) {
        List<PushRecord> out = new ArrayList<>();
        source.forEachRemaining(out::add);
        return out;
    }

    private static String text(PushRecord r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    private Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private static PushInput.File file(Path p) {
        return new PushInput.File(p);
    }

    @Test
    void shouldReadDirectoryTreeRecursivelyInSortedPathOrderOneDocumentPerFile() throws Exception {
        Path root = dir.resolve("docs");
        write("docs/b.txt", "bee");
        write("docs/a/z.txt", "zed");
        write("docs/a/c.md", "sea");
        write("docs/a.txt", "ay");
        write("docs/c/d/e.txt", "deep");

        List<PushRecord> records;
        try (DocumentSource source = open(stream("notes"), NO_STDIN, file(root))) {
            records = drain(source);
            assertThat(source.files()).isEqualTo(5);
            assertThat(source.bytesRead()).isEqualTo(source.totalBytes().orElseThrow()).isEqualTo(15);
        }

        assertThat(records).extracting(PushRecord::origin).containsExactly(
                root.resolve("a.txt").toString(), root.resolve("a/c.md").toString(), root.resolve("a/z.txt").toString(),
                root.resolve("b.txt").toString(), root.resolve("c/d/e.txt").toString());
        assertThat(records).extracting(PushRecord::key, DocumentSourceTest::text)
                .containsExactly(tuple("notes", "ay"), tuple("notes", "sea"), tuple("notes", "zed"), tuple("notes", "bee"),
                        tuple("notes", "deep"));
        assertThat(records).allSatisfy(r -> assertThat(r.headers()).containsExactly(
                java.util.Map.entry(DocHeaders.FORMAT, DocHeaders.FORMAT_TEXT)));
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldSkipHiddenFilesAndDirectoriesInsideADirectory() throws Exception {
        write("tree/.git/config", "secret");
        write("tree/.swp", "junk");
        write("tree/keep.txt", "kept");

        try (DocumentSource source = open(stream("s"), NO_STDIN, file(dir.resolve("tree")))) {
            assertThat(drain(source)).extracting(DocumentSourceTest::text).containsExactly("kept");
        }
    }

    @Test
    void shouldSendFileBytesUnchangedEvenWhenNotUtf8() throws Exception {
        Path p = dir.resolve("bin.txt");
        byte[] bytes = {(byte) 0xff, 0, (byte) 0xc3, '\r', '\n', 'x'};
        Files.write(p, bytes);

        try (DocumentSource source = open(stream("s"), NO_STDIN, file(p))) {
            assertThat(drain(source)).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(bytes));
        }
    }

    @Test
    void shouldReportLineNumberOfBadJsonlLineAndGoOn() throws Exception {
        Path p = write("in.jsonl", """
                {"id":"1","stream":"s","text":"one"}
                this is not json
                {"id":"3","stream":"s","text":"three"}
                [1,2]
                {"id":"5","stream":"s","text":"five"}
                """);

        try (DocumentSource source = open(noStream(), NO_STDIN, file(p))) {
            List<PushRecord> records = drain(source);

            assertThat(records).extracting(PushRecord::origin).containsExactly(p + ":1", p + ":3", p + ":5");
            assertThat(source.badLines()).isEqualTo(2);
            assertThat(source.stoppedAt()).isEmpty();
        }
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith(p + ":2: not JSON (");
        assertThat(problems.get(1)).isEqualTo(p + ":4: not JSON (expected an object, found an array)");
    }

    @Test
    void shouldStopAtFirstBadLineWhenPolicyIsStop() throws Exception {
        Path p = write("in.jsonl", """
                {"stream":"s","text":"one"}
                {"stream":"s","text":
                {"stream":"s","text":"three"}
                """);
        Path after = write("later.jsonl", "{\"stream\":\"s\",\"text\":\"never\"}\n");

        try (DocumentSource source = DocumentSource.open(List.of(file(p), file(after)),
                new SourceOptions(Optional.empty(), false, BadLinePolicy.STOP), NO_STDIN, problems::add)) {
            List<PushRecord> records = drain(source);

            assertThat(records).extracting(PushRecord::origin).containsExactly(p + ":1");
            assertThat(source.stoppedAt()).contains(p + ":2");
            assertThat(source.badLines()).isEqualTo(1);
            assertThat(source.hasNext()).isFalse();
        }
        assertThat(problems).singleElement().asString().startsWith(p + ":2: not JSON (");
    }

    @Test
    void shouldKeySendJsonLinesExactlyAsReadWithFormatJson() throws Exception {
        String line = "{ \"stream\" : \"en-web\", \"text\": \"caf\u00e9\", \"meta\": {\"stream\": \"nested-ignored\"} }";
        Path p = write("x.jsonl", line + "\r\n");

        try (DocumentSource source = open(noStream(), NO_STDIN, file(p))) {
            PushRecord r = drain(source).get(0);

            assertThat(r.key()).isEqualTo("en-web");
            assertThat(r.value()).isEqualTo(line.getBytes(StandardCharsets.UTF_8));
            assertThat(r.headers()).containsExactly(java.util.Map.entry(DocHeaders.FORMAT, DocHeaders.FORMAT_JSON));
        }
    }

    @Test
    void shouldTakeStreamFromFieldAndFallBackToStreamOption() throws Exception {
        Path p = write("mix.jsonl", """
                {"stream":"from-field","text":"a"}
                {"text":"b"}
                {"stream":null,"text":"c"}
                """);

        try (DocumentSource source = open(stream("from-option"), NO_STDIN, file(p))) {
            assertThat(drain(source)).extracting(PushRecord::key).containsExactly("from-field", "from-option", "from-option");
        }
    }

    @Test
    void shouldReportLineWithNeitherStreamFieldNorStreamOption() throws Exception {
        Path p = write("nostream.jsonl", "{\"text\":\"a\"}\n{\"stream\":\"ok\",\"text\":\"b\"}\n");

        try (DocumentSource source = open(noStream(), NO_STDIN, file(p))) {
            assertThat(drain(source)).extracting(PushRecord::key).containsExactly("ok");
        }
        assertThat(problems).containsExactly(p + ":1: no \"stream\" field and no --stream");
    }

    @Test
    void shouldReportLineWhoseStreamFieldIsInvalidOrNotAString() throws Exception {
        Path p = write("bad.jsonl", "{\"stream\":\"Not Valid\",\"text\":\"a\"}\n{\"stream\":7,\"text\":\"b\"}\n");

        try (DocumentSource source = open(stream("fallback"), NO_STDIN, file(p))) {
            assertThat(drain(source)).isEmpty();
            assertThat(source.badLines()).isEqualTo(2);
        }
        assertThat(problems.get(0)).startsWith(p + ":1: invalid stream 'Not Valid': a stream id must match [a-z0-9]");
        assertThat(problems.get(1)).isEqualTo(p + ":2: \"stream\" is a number, not a string");
    }

    @Test
    void shouldSkipEmptyAndBlankLinesSilently() throws Exception {
        Path p = write("gaps.jsonl", "\n{\"stream\":\"s\",\"text\":\"a\"}\n\n   \n\t\r\n{\"stream\":\"s\",\"text\":\"b\"}");

        try (DocumentSource source = open(noStream(), NO_STDIN, file(p))) {
            assertThat(drain(source)).extracting(PushRecord::origin).containsExactly(p + ":2", p + ":6");
            assertThat(source.badLines()).isZero();
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportTooLongLineWithoutHoldingItAndGoOn() throws Exception {
        Path p = write("long.jsonl", "{\"stream\":\"s\",\"text\":\"" + "x".repeat(500) + "\"}\n{\"stream\":\"s\",\"text\":\"ok\"}\n");

        try (DocumentSource source = DocumentSource.open(List.of(file(p)),
                new SourceOptions(Optional.empty(), false, BadLinePolicy.SKIP, 100), NO_STDIN, problems::add)) {
            assertThat(drain(source)).extracting(PushRecord::origin).containsExactly(p + ":2");
        }
        assertThat(problems).containsExactly(p + ":1: line of 524 bytes is longer than 100 bytes, the most one document may have");
    }

    @Test
    void shouldReadStdinAsOneTextDocument() {
        byte[] in = "all of stdin\nis one document\n".getBytes(StandardCharsets.UTF_8);

        try (DocumentSource source = open(stream("s"), new ByteArrayInputStream(in), new PushInput.Stdin())) {
            List<PushRecord> records = drain(source);

            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.value()).isEqualTo(in);
                assertThat(r.origin()).isEqualTo("stdin");
                assertThat(r.headers()).containsEntry(DocHeaders.FORMAT, DocHeaders.FORMAT_TEXT);
            });
            assertThat(source.readStdin()).isTrue();
            assertThat(source.files()).isZero();
            assertThat(source.totalBytes()).isEmpty();
        }
    }

    @Test
    void shouldReadStdinAsJsonlWhenForced() {
        byte[] in = "{\"stream\":\"a\",\"text\":\"1\"}\nnope\n{\"text\":\"2\"}\n".getBytes(StandardCharsets.UTF_8);

        try (DocumentSource source = DocumentSource.open(List.of(new PushInput.Stdin()),
                new SourceOptions(Optional.of("b"), true, BadLinePolicy.SKIP), new ByteArrayInputStream(in), problems::add)) {
            assertThat(drain(source)).extracting(PushRecord::key, PushRecord::origin)
                    .containsExactly(tuple("a", "stdin:1"), tuple("b", "stdin:3"));
        }
        assertThat(problems).singleElement().asString().startsWith("stdin:2: not JSON (");
    }

    @Test
    void shouldReadAnyFileNameAsJsonlWhenForced() throws Exception {
        Path p = write("data.txt", "{\"stream\":\"s\",\"text\":\"1\"}\n{\"stream\":\"s\",\"text\":\"2\"}\n");

        try (DocumentSource source = DocumentSource.open(List.of(file(p)),
                new SourceOptions(Optional.empty(), true, BadLinePolicy.SKIP), NO_STDIN, problems::add)) {
            assertThat(drain(source)).hasSize(2).allSatisfy(r -> assertThat(r.headers()).containsValue(DocHeaders.FORMAT_JSON));
        }
    }

    @Test
    void shouldRequireStreamOptionForPlainTextFileBeforeReadingAnything() throws Exception {
        Path jsonl = write("ok.jsonl", "{\"stream\":\"s\",\"text\":\"1\"}\n");
        Path txt = write("plain.txt", "text");

        assertThatThrownBy(() -> open(noStream(), NO_STDIN, file(jsonl), file(txt)))
                .isInstanceOf(PushInputException.class)
                .hasMessage("--stream NAME is required for plain-text input: " + txt
                        + " is not a .jsonl file (use --jsonl to read every input as JSONL)");
    }

    @Test
    void shouldRequireStreamOptionForStdinText() {
        assertThatThrownBy(() -> open(noStream(), NO_STDIN, new PushInput.Stdin()))
                .isInstanceOf(PushInputException.class)
                .hasMessageContaining("--stream NAME is required")
                .hasMessageContaining("stdin is read as plain text unless --jsonl is given");
    }

    @Test
    void shouldRejectInvalidStreamIdNamingTheRule() throws Exception {
        Path p = write("a.txt", "x");

        assertThatThrownBy(() -> open(stream("My Stream"), NO_STDIN, file(p)))
                .isInstanceOf(PushInputException.class)
                .hasMessageStartingWith("invalid --stream 'My Stream': a stream id must match [a-z0-9][a-z0-9._-]{0,63}");
    }

    @Test
    void shouldRejectMissingPathUpFront() {
        Path missing = dir.resolve("nope.jsonl");

        assertThatThrownBy(() -> open(noStream(), NO_STDIN, file(missing)))
                .isInstanceOf(PushInputException.class)
                .hasMessage("no such file or directory: " + missing);
    }

    @Test
    void shouldRejectStdinNamedTwice() {
        assertThatThrownBy(() -> open(stream("s"), NO_STDIN, new PushInput.Stdin(), new PushInput.Stdin()))
                .isInstanceOf(PushInputException.class)
                .hasMessageContaining("only once");
    }

    @Test
    void shouldReportFileThatVanishedBeforeReadingAndSendTheRest() throws Exception {
        Path a = write("d/a.txt", "a");
        Path b = write("d/b.txt", "b");
        write("d/c.txt", "c");

        try (DocumentSource source = open(stream("s"), NO_STDIN, file(dir.resolve("d")))) {
            Files.delete(b); // resolved at open, gone when read: what an unreadable file looks like to root too
            List<PushRecord> records = drain(source);

            assertThat(records).extracting(DocumentSourceTest::text).containsExactly("a", "c");
            assertThat(source.skippedInputs()).isEqualTo(1);
        }
        assertThat(problems).containsExactly(b + ": cannot read (no such file)");
        assertThat(a).exists();
    }

    @Test
    void shouldSkipTextFileLargerThanTheDocumentLimit() throws Exception {
        Path big = write("big.txt", "y".repeat(101));
        Path small = write("small.txt", "ok");

        try (DocumentSource source = DocumentSource.open(List.of(file(big), file(small)),
                new SourceOptions(Optional.of("s"), false, BadLinePolicy.SKIP, 100), NO_STDIN, problems::add)) {
            assertThat(drain(source)).extracting(DocumentSourceTest::text).containsExactly("ok");
            assertThat(source.skippedInputs()).isEqualTo(1);
            assertThat(source.files()).isEqualTo(1);
        }
        assertThat(problems).containsExactly(big + ": 101 bytes is larger than 100 bytes, the most one document may have; not sent");
    }

    @Test
    void shouldParseDashAsStdinAndNoArgumentsAsStdin() {
        assertThat(PushInput.parse(List.of())).containsExactly(new PushInput.Stdin());
        assertThat(PushInput.parse(List.of("a", "-"))).containsExactly(new PushInput.File(Path.of("a")), new PushInput.Stdin());
    }
}
