package dev.cpt.ingest.push;

import dev.cpt.core.format.StreamId;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The inputs of a push as a lazy sequence of {@link PushRecord}s: one record per plain-text file
 * (or for all of stdin), one per non-empty JSONL line. Only the current file or line is in
 * memory, so inputs of any size stream through.
 *
 * <p>Contract:
 * <ul>
 * <li>{@link #open} resolves every input before anything is read and throws
 *     {@link PushInputException} for what would make the whole push pointless: an invalid
 *     {@code --stream}, a plain-text input without {@code --stream}, a path that does not exist,
 *     stdin named twice.</li>
 * <li>Directories are read recursively, their files in sorted path order; names starting with
 *     '.' (and everything below such a directory) are skipped, so that {@code .git} or editor
 *     files are not pushed. Inputs named on the command line keep their order.</li>
 * <li>Files named {@code *.jsonl} are JSONL, others plain text, unless {@code --jsonl} makes every
 *     input JSONL. Stdin is plain text unless {@code --jsonl}.</li>
 * <li>A JSONL line is sent exactly as read (without its line end), keyed by its {@code "stream"}
 *     field, else by {@code --stream}. Blank lines are skipped silently. A line that is not a JSON
 *     object, has no usable stream or is too long is a <em>bad line</em>: reported as
 *     {@code FILE:LINE: reason} to the problem sink, then skipped or, with
 *     {@link BadLinePolicy#STOP}, the end of the sequence ({@link #stoppedAt()}).</li>
 * <li>A file that cannot be read, or is larger than {@link SourceOptions#maxDocumentBytes()}, is
 *     reported, counted in {@link #skippedInputs()} and skipped; the rest is still read.</li>
 * </ul>
 * Not thread-safe. {@link #close()} closes the file being read, never the stdin stream.
 */
public final class DocumentSource implements Iterator<PushRecord>, Closeable {

    static final String STDIN = "stdin";

    /** One file or stdin, resolved; {@code size} is -1 when unknown (stdin, pipes). */
    private record Unit(Path path, String name, boolean jsonl, long size) {
        boolean stdin() {
            return path == null;
        }
    }

    private final SourceOptions options;
    private final InputStream stdin;
    private final Consumer<String> problems;
    private final Deque<Unit> pending;
    private final long totalBytes;

    private Unit current;
    private InputStream currentIn;
    private LineReader lines;
    private PushRecord ahead;
    private boolean finished;

    private long bytesDone;
    private int files;
    private boolean readStdin;
    private long badLines;
    private int skippedInputs;
    private String stoppedAt;

    private DocumentSource(SourceOptions options, InputStream stdin, Consumer<String> problems, List<Unit> units, int skipped) {
        this.options = options;
        this.stdin = stdin;
        this.problems = problems;
        this.pending = new ArrayDeque<>(units);
        this.skippedInputs = skipped;
        long total = 0;
        for (Unit u : units) {
            if (u.size() < 0) {
                total = -1;
                break;
            }
            total += u.size();
        }
        this.totalBytes = total;
    }

    /**
     * Resolves the inputs (walking directories) and checks the options against them.
     *
     * @param stdin read when the inputs name {@link PushInput.Stdin}; not closed
     * @param problems receives one line per problem met while reading (bad lines, unreadable files)
     * @throws PushInputException when the push cannot work at all; nothing has been read then
     */
    public static DocumentSource open(List<PushInput> inputs, SourceOptions options, InputStream stdin, Consumer<String> problems) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(problems, "problems");
        Optional<String> stream = options.stream();
        if (stream.isPresent() && !StreamId.isValid(stream.get())) {
            throw new PushInputException("invalid --stream '" + stream.get() + "': " + streamRule());
        }
        List<Unit> units = new ArrayList<>();
        int[] skipped = {0};
        boolean sawStdin = false;
        for (PushInput input : inputs) {
            if (input instanceof PushInput.Stdin) {
                if (sawStdin) {
                    throw new PushInputException("stdin ('-') can be read only once");
                }
                sawStdin = true;
                units.add(new Unit(null, STDIN, options.forceJsonl(), -1));
            } else if (input instanceof PushInput.File f) {
                resolve(f.path(), options, units, problems, skipped);
            }
        }
        if (stream.isEmpty()) {
            for (Unit u : units) {
                if (!u.jsonl()) {
                    throw new PushInputException("--stream NAME is required for plain-text input: " + u.name()
                            + (u.stdin() ? " is read as plain text unless --jsonl is given"
                                         : " is not a .jsonl file (use --jsonl to read every input as JSONL)"));
                }
            }
        }
        return new DocumentSource(options, stdin, problems, units, skipped[0]);
    }

    /** The words that explain {@link StreamId#RULE}. */
    static String streamRule() {
        return "a stream id must match " + StreamId.RULE
                + " (lower-case letters, digits, '.', '_', '-'; starts with a letter or digit; at most 64 characters)";
    }

    private static void resolve(Path path, SourceOptions options, List<Unit> units, Consumer<String> problems, int[] skipped) {
        if (!Files.exists(path)) {
            throw new PushInputException("no such file or directory: " + path);
        }
        if (!Files.isDirectory(path)) {
            units.add(fileUnit(path, options, sizeOrUnknown(path)));
            return;
        }
        List<Unit> found = new ArrayList<>();
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(path) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (hidden(file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isRegularFile()) {
                        found.add(fileUnit(file, options, attrs.size()));
                    } else if (attrs.isSymbolicLink() && Files.isRegularFile(file)) { // links to directories are not followed: no cycles
                        found.add(fileUnit(file, options, sizeOrUnknown(file)));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    problems.accept(file + ": cannot read (" + describe(e) + ")");
                    skipped[0]++;
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + path + ": " + describe(e), e);
        }
        found.sort((a, b) -> a.path().compareTo(b.path()));
        units.addAll(found);
    }

    private static Unit fileUnit(Path file, SourceOptions options, long size) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return new Unit(file, file.toString(), options.forceJsonl() || name.endsWith(".jsonl"), size);
    }

    private static long sizeOrUnknown(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : -1; // pipes (e.g. <(cmd)) have no size
        } catch (IOException e) {
            return 0; // reported when it is read
        }
    }

    private static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    @Override
    public boolean hasNext() {
        if (ahead == null && !finished) {
            ahead = advance();
            if (ahead == null) {
                finished = true;
                closeCurrent();
            }
        }
        return ahead != null;
    }

    @Override
    public PushRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        PushRecord r = ahead;
        ahead = null;
        return r;
    }

    private PushRecord advance() {
        while (stoppedAt == null) {
            if (lines != null) {
                PushRecord r = nextLine();
                if (r != null) {
                    return r;
                }
                continue;
            }
            current = pending.poll();
            if (current == null) {
                return null;
            }
            if (current.stdin()) {
                readStdin = true;
            }
            if (current.jsonl()) {
                openLines();
            } else {
                PushRecord r = readWhole();
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }

    /** A whole plain-text input as one record, or null when it was reported and skipped. */
    private PushRecord readWhole() {
        Unit u = current;
        int max = options.maxDocumentBytes();
        byte[] bytes;
        try (InputStream in = u.stdin() ? null : Files.newInputStream(u.path())) {
            bytes = (in == null ? stdin : in).readNBytes(max + 1); // bounded: a huge file never lands in memory
        } catch (IOException e) {
            skip(u.name() + ": cannot read (" + describe(e) + ")", u.size());
            return null;
        }
        if (bytes.length > max) {
            skip(u.name() + ": " + (u.size() > max ? u.size() + " bytes is" : "is") + " larger than " + max
                    + " bytes, the most one document may have; not sent", u.size());
            return null;
        }
        bytesDone += u.size() < 0 ? bytes.length : u.size();
        if (!u.stdin()) {
            files++;
        }
        return PushRecord.text(options.stream().orElseThrow(), bytes, u.name());
    }

    private void openLines() {
        Unit u = current;
        try {
            currentIn = u.stdin() ? stdin : Files.newInputStream(u.path());
            lines = new LineReader(currentIn, options.maxDocumentBytes());
            if (!u.stdin()) {
                files++;
            }
        } catch (IOException e) {
            skip(u.name() + ": cannot read (" + describe(e) + ")", u.size());
        }
    }

    /** The next record of the open JSONL input; null at its end (then it is closed) or after a stop. */
    private PushRecord nextLine() {
        while (true) {
            LineReader.Line line;
            try {
                line = lines.next();
            } catch (IOException e) {
                long progress = lines.consumed();
                closeCurrent();
                skip(current.name() + ": cannot read after " + progress + " bytes (" + describe(e) + "); rest of the file not sent",
                        Math.max(current.size(), progress));
                return null;
            }
            if (line == null) {
                bytesDone += current.size() < 0 ? lines.consumed() : current.size();
                closeCurrent();
                return null;
            }
            String origin = current.name() + ":" + line.number();
            if (line.tooLong()) {
                if (bad(origin, "line of " + line.length() + " bytes is longer than " + options.maxDocumentBytes()
                        + " bytes, the most one document may have")) {
                    return null;
                }
                continue;
            }
            byte[] bytes = line.bytes();
            if (blank(bytes)) {
                continue;
            }
            JsonLine.Inspection json = JsonLine.inspect(bytes);
            String problem = json.error().orElse(null);
            String stream = null;
            if (problem == null) {
                stream = json.stream().or(options::stream).orElse(null);
                if (stream == null) {
                    problem = "no \"stream\" field and no --stream";
                } else if (!StreamId.isValid(stream)) {
                    problem = "invalid stream '" + stream + "': " + streamRule();
                }
            }
            if (problem == null) {
                return PushRecord.json(stream, bytes, origin);
            }
            if (bad(origin, problem)) {
                return null;
            }
        }
    }

    /** Reports a bad line; true when the policy says stop. */
    private boolean bad(String origin, String problem) {
        badLines++;
        problems.accept(origin + ": " + problem);
        if (options.onBadLine() == BadLinePolicy.STOP) {
            stoppedAt = origin;
            closeCurrent();
            return true;
        }
        return false;
    }

    private void skip(String problem, long size) {
        skippedInputs++;
        bytesDone += Math.max(size, 0);
        problems.accept(problem);
    }

    private static boolean blank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private void closeCurrent() {
        lines = null;
        if (currentIn != null && currentIn != stdin) {
            try {
                currentIn.close();
            } catch (IOException e) {
                // read-only input: nothing is lost when close fails
            }
        }
        currentIn = null;
    }

    /** Input bytes consumed so far (skipped lines and files included): progress against {@link #totalBytes()}. */
    public long bytesRead() {
        return bytesDone + (lines != null ? lines.consumed() : 0);
    }

    /** The inputs' total size, or empty when stdin or a pipe is among them. */
    public OptionalLong totalBytes() {
        return totalBytes < 0 ? OptionalLong.empty() : OptionalLong.of(totalBytes);
    }

    /** Files opened so far (stdin not counted). */
    public int files() {
        return files;
    }

    /** Whether stdin was read. */
    public boolean readStdin() {
        return readStdin;
    }

    /** JSONL lines reported as bad so far. */
    public long badLines() {
        return badLines;
    }

    /** Files (or stdin) skipped so far because they could not be read or were too large; also directories that could not be walked. */
    public int skippedInputs() {
        return skippedInputs;
    }

    /** The {@code FILE:LINE} of the bad line that stopped the sequence ({@link BadLinePolicy#STOP}). */
    public Optional<String> stoppedAt() {
        return Optional.ofNullable(stoppedAt);
    }

    @Override
    public void close() {
        finished = true;
        ahead = null;
        closeCurrent();
    }
}
