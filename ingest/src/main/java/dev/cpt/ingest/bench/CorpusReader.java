package dev.cpt.ingest.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a bench corpus: a {@code .jsonl} file, or a directory whose {@code .jsonl} files (at any
 * depth, in path order) are read one after the other. Each non-blank line is one JSON document
 * {@code {"id": "...", "stream": "...", "text": "..."}}; {@code stream} and {@code text} are
 * required, {@code id} is optional, other fields are ignored.
 */
public final class CorpusReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CorpusReader() {
    }

    /**
     * @throws CorpusException naming the file and line of the first problem, or when no document is found
     */
    public static List<BenchDocument> read(Path fileOrDir) {
        if (!Files.exists(fileOrDir)) {
            throw new CorpusException("corpus " + fileOrDir + " does not exist");
        }
        List<Path> files = files(fileOrDir);
        List<BenchDocument> docs = new ArrayList<>();
        for (Path f : files) {
            readFile(f, docs);
        }
        if (docs.isEmpty()) {
            throw new CorpusException("corpus " + fileOrDir + " holds no documents"
                    + (Files.isDirectory(fileOrDir) ? " (no non-empty .jsonl file in the directory)" : ""));
        }
        return docs;
    }

    private static List<Path> files(Path fileOrDir) {
        if (!Files.isDirectory(fileOrDir)) {
            return List.of(fileOrDir);
        }
        try (Stream<Path> walk = Files.walk(fileOrDir)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new CorpusException("cannot list corpus directory " + fileOrDir + ": " + e.getMessage(), e);
        }
    }

    private static void readFile(Path file, List<BenchDocument> into) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    into.add(parse(line, file, n));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new CorpusException("cannot read corpus file " + file + ": " + e.getMessage(), e);
        }
    }

    static BenchDocument parse(String line, Path file, int lineNumber) {
        String where = file + ":" + lineNumber + ": ";
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new CorpusException(where + "not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CorpusException(where + "expected a JSON object {\"id\", \"stream\", \"text\"}");
        }
        return new BenchDocument(optionalText(root, "id", where), requiredText(root, "stream", where), requiredText(root, "text", where));
    }

    private static String requiredText(JsonNode root, String field, String where) {
        String v = optionalText(root, field, where);
        if (v == null) {
            throw new CorpusException(where + "missing \"" + field + "\"");
        }
        return v;
    }

    private static String optionalText(JsonNode root, String field, String where) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new CorpusException(where + "\"" + field + "\" must be a string");
        }
        return n.asText();
    }

    /**
     * The corpus from its first document on, again and again, until at least {@code targetBytes}
     * bytes of text were given (the last document may go past it). Pass 0 gives the documents as
     * they are; pass k >= 1 gives {@link BenchDocument#repeat(int) repeat(k)} of each, so no two
     * passes give equal texts.
     */
    public static Iterator<BenchDocument> cycle(List<BenchDocument> corpus, long targetBytes) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("empty corpus");
        }
        List<BenchDocument> docs = List.copyOf(corpus);
        // every pass after the first repeats the corpus with unique texts (the ingest drops exact duplicates)
        return BenchDocument.untilBytes(targetBytes, i -> {
            BenchDocument d = docs.get((int) (i % docs.size()));
            int pass = (int) (i / docs.size());
            return pass == 0 ? d : d.repeat(pass);
        });
    }
}
