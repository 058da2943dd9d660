package dev.cpt.monitor.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpt.core.format.Json;
import dev.cpt.core.store.Checksums;
import dev.cpt.core.store.FileEntry;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import dev.cpt.monitor.pull.PullException.Kind;
import dev.cpt.monitor.registry.Registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Pulls the checkpoint an alias names from a registry ({@code GET /v1/aliases/{alias}},
 * {@code GET /v1/checkpoints/{id}/files/{name}}) into a local folder {@code DIR}:
 * <pre>
 *   DIR/&lt;id&gt;/            the checkpoint: its files and manifest.json, each file verified
 *   DIR/current -&gt; &lt;id&gt;   switched atomically (a new symlink renamed over the old one)
 *   DIR/previous -&gt; &lt;id&gt;  the one before, kept; older pulled checkpoints are deleted
 *   DIR/.tmp-&lt;id&gt;-&lt;r&gt;/    a download in progress (deleted on failure, or by the next pull after a crash)
 *   DIR/.pull.lock        held while a pull or a watch runs: one puller per folder
 * </pre>
 * Files are streamed to disk while their SHA-256 is computed, never held whole in memory. A file
 * whose size or SHA-256 differs from the manifest's fails the pull ({@link Kind#CHECKSUM}) and
 * leaves {@code DIR/current} as it was.
 */
public final class Puller {

    public static final String CURRENT = "current";
    public static final String PREVIOUS = "previous";
    static final String LOCK = ".pull.lock";
    static final String ALIASES = "/v1/aliases/";
    static final String CHECKPOINTS = "/v1/checkpoints/";

    /** What a refused request adds to the server's words. */
    public static final String TOKEN_HINT = "check the token: --token-file or CPT_PULL_TOKEN";

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long an answer's headers may take, beyond a long-poll's wait. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private static final int CHUNK = 256 * 1024;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final List<String> LEFTOVERS = List.of(StoreLayout.TMP, "." + CURRENT + "-", "." + PREVIOUS + "-");

    private final String base;
    private final Optional<String> token;
    private final Path to;
    private final Progress progress;
    private final HttpClient client;
    private Duration firstBackoff = Duration.ofSeconds(1);

    /**
     * @param server the registry, e.g. {@code http://127.0.0.1:9400} (a path prefix is kept)
     * @param token a read token, sent as {@code Authorization: Bearer <token>}
     * @param to the local folder (created when missing)
     * @param progress where bars and notes go
     * @throws IllegalArgumentException for a server that is not an http(s) URL, or a token with white space
     */
    public Puller(URI server, Optional<String> token, Path to, Progress progress) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(progress, "progress");
        if (!("http".equals(server.getScheme()) || "https".equals(server.getScheme())) || server.getHost() == null
                || server.getRawQuery() != null || server.getRawFragment() != null) {
            throw new IllegalArgumentException("the server must be an http:// or https:// URL like http://127.0.0.1:9400, got '"
                    + server + "'");
        }
        if (token.isPresent() && (token.get().isEmpty() || !token.get().chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException("a token must be printable ASCII without white space");
        }
        String s = server.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        this.base = s;
        this.token = token;
        this.to = to.toAbsolutePath().normalize();
        this.progress = progress;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER) // never hand the token to another host
                .build();
    }

    /** The local folder. */
    public Path to() {
        return to;
    }

    /** The server, without a trailing slash. */
    public String server() {
        return base;
    }

    /** The first wait after a failure in {@link #watch} (doubled each time, at most 30s); for tests. */
    void firstBackoff(Duration d) {
        firstBackoff = d;
    }

    /** The id in {@code DIR/current/manifest.json}; empty when there is none or it cannot be read. */
    public Optional<String> currentId() {
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(to.resolve(CURRENT).resolve(StoreLayout.MANIFEST)));
            String id = n == null ? "" : n.path("id").asText("");
            return StoreLayout.ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Pulls what {@code alias} names now. Nothing is downloaded when {@code DIR/current} already
     * holds it.
     *
     * @throws PullException typed by what went wrong; {@code DIR/current} is unchanged then
     */
    public PullResult pullOnce(String alias) throws PullException, InterruptedException {
        checkAlias(alias);
        AliasAnswer a = getAlias(alias, Optional.empty(), Duration.ZERO, () -> false)
                .orElseThrow(() -> new PullException(Kind.SERVER, base + " answered 304 to a request without If-None-Match"));
        try (DirLock ignored = lock()) { // only now: a refused or unreachable pull leaves no folder behind
            return install(alias, a);
        }
    }

    /** {@link #watch(String, Duration, BooleanSupplier, Consumer)} without a listener. */
    public void watch(String alias, Duration wait, BooleanSupplier stop) throws PullException, InterruptedException {
        watch(alias, wait, stop, r -> {
        });
    }

    /**
     * Pulls {@code alias} whenever it moves, until {@code stop} says so: long-polls with
     * {@code If-None-Match} = the current id and {@code ?wait=}, pulls on 200, polls again on 304.
     * An unreachable server, a missing alias, a server or local error is reported and retried after
     * 1s, 2s, 4s ... at most 30s. A checkpoint that fails verification is reported and skipped:
     * the watch waits for the alias to move past it. Only a refused token ends the watch, as
     * retrying cannot fix it.
     *
     * @param onPull told of each pull that changed {@code DIR/current}
     * @throws PullException of kind {@link Kind#AUTH}, or {@link Kind#LOCAL} when the folder cannot be locked
     */
    public void watch(String alias, Duration wait, BooleanSupplier stop, Consumer<PullResult> onPull)
            throws PullException, InterruptedException {
        checkAlias(alias);
        if (wait.toMillis() < 1) {
            throw new IllegalArgumentException("the long-poll wait must be at least 1ms, got " + wait);
        }
        try (DirLock ignored = lock()) {
            Duration backoff = Duration.ZERO;
            Optional<String> rejected = Optional.empty();
            progress.note("watching alias " + alias + " on " + base + " (" + to.resolve(CURRENT) + ": "
                    + currentId().orElse("none yet") + ")");
            while (!stop.getAsBoolean()) {
                try {
                    Optional<String> known = rejected.isPresent() ? rejected : currentId();
                    Optional<AliasAnswer> a = getAlias(alias, known, wait, stop);
                    backoff = Duration.ZERO;
                    if (a.isEmpty()) {
                        continue; // 304: the alias did not move within the wait (or we were stopped)
                    }
                    try {
                        PullResult r = install(alias, a.get());
                        rejected = Optional.empty();
                        if (r.changed()) {
                            onPull.accept(r);
                        }
                    } catch (PullException e) {
                        if (e.kind() != Kind.CHECKSUM) {
                            throw e;
                        }
                        rejected = Optional.of(a.get().id());
                        progress.note("cpt pull: " + e.getMessage() + "; waiting for alias " + alias + " to move past "
                                + a.get().id());
                    }
                } catch (PullException e) {
                    if (e.kind() == Kind.AUTH) {
                        throw e;
                    }
                    backoff = backoff.isZero() ? firstBackoff : min(backoff.multipliedBy(2), MAX_BACKOFF);
                    progress.note("cpt pull: " + e.getMessage() + "; retrying in " + words(backoff));
                    sleep(backoff, stop);
                }
            }
        }
    }

    // ---- the alias

    private record AliasAnswer(String id, Manifest manifest) {
    }

    /** 200: the alias's id and manifest; empty on 304 or when stopped. */
    private Optional<AliasAnswer> getAlias(String alias, Optional<String> known, Duration wait, BooleanSupplier stop)
            throws PullException, InterruptedException {
        URI uri = url(ALIASES + alias + (wait.isZero() ? "" : "?wait=" + wait.toMillis() + "ms"));
        HttpRequest.Builder b = request(uri, wait.plus(ANSWER_TIMEOUT));
        known.ifPresent(id -> b.header("If-None-Match", "\"" + id + "\""));
        CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> r;
        try {
            while (true) {
                if (stop.getAsBoolean()) {
                    f.cancel(true);
                    return Optional.empty();
                }
                try {
                    r = f.get(100, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    // look at stop again
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw unreachable(uri, io);
            }
            throw new PullException(Kind.SERVER, "GET " + uri + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
        if (r.statusCode() == 304) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw failure(uri, r.statusCode(), r.body());
        }
        return Optional.of(parseAlias(uri, alias, r.body()));
    }

    private AliasAnswer parseAlias(URI uri, String alias, byte[] body) throws PullException {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new PullException(Kind.SERVER, "GET " + uri + " did not answer JSON: " + e.getMessage(), e);
        }
        String id = n == null ? "" : n.path("id").asText("");
        if (!StoreLayout.ID.matcher(id).matches()) {
            throw new PullException(Kind.SERVER, "GET " + uri + " answered no valid checkpoint id: '" + id + "'");
        }
        JsonNode m = n.get("manifest");
        if (m == null || !m.isObject()) {
            throw new PullException(Kind.SERVER, "alias " + alias + " names " + id + ", but the registry has no manifest of it"
                    + " (deleted by retention?)");
        }
        Manifest manifest;
        try {
            manifest = Manifest.parse(Json.MAPPER.writeValueAsBytes(m));
        } catch (IOException | RuntimeException e) {
            throw new PullException(Kind.SERVER, "the manifest of " + id + " from " + base + " cannot be read: " + e.getMessage(), e);
        }
        if (!manifest.id().equals(id)) {
            throw new PullException(Kind.SERVER, "alias " + alias + " names " + id + " but its manifest says " + manifest.id());
        }
        Set<String> names = new HashSet<>();
        for (FileEntry f : manifest.files()) {
            if (f.name() == null || !Registry.isFileName(f.name()) || f.name().equals(StoreLayout.MANIFEST) || !names.add(f.name())
                    || f.size() < 0 || f.sha256() == null || !SHA256.matcher(f.sha256()).matches()) {
                throw new PullException(Kind.SERVER, "the manifest of " + id + " lists a file cpt pull will not write: " + f);
            }
        }
        return new AliasAnswer(id, manifest);
    }

    // ---- installing a checkpoint

    private PullResult install(String alias, AliasAnswer a) throws PullException, InterruptedException {
        String id = a.id();
        Path dest = to.resolve(id);
        if (currentId().equals(Optional.of(id))) {
            return new PullResult(alias, id, dest, false, linkTarget(PREVIOUS), 0, 0);
        }
        removeLeftovers();
        int files = 0;
        long bytes = 0;
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            progress.note("verifying the copy of " + id + " kept in " + dest);
            if (!intact(dest, a.manifest())) {
                progress.note(dest + " does not match the manifest of " + id + "; downloading it again");
                deleteTree(dest);
            }
        }
        if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            Path tmp = to.resolve(StoreLayout.TMP + id + "-" + random());
            try {
                Files.createDirectory(tmp);
                for (FileEntry f : a.manifest().files()) {
                    download(id, f, tmp);
                    files++;
                    bytes += f.size();
                }
                Path manifest = tmp.resolve(StoreLayout.MANIFEST);
                Files.write(manifest, a.manifest().toJson(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                force(manifest);
                fsyncDirs(tmp);
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw local("cannot write " + id + " under " + to + ": " + e, e);
            } finally {
                if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(tmp);
                }
            }
        }
        Optional<String> before = linkTarget(CURRENT);
        Optional<String> previous = linkTarget(PREVIOUS);
        // previous first: whoever sees current switched finds previous already pointing at the one before
        if (before.isPresent() && !before.get().equals(id)) {
            link(PREVIOUS, before.get());
            previous = before;
        }
        link(CURRENT, id);
        if (previous.equals(Optional.of(id))) {
            unlink(PREVIOUS);
            previous = Optional.empty();
        }
        prune(id, previous);
        fsyncDir(to);
        return new PullResult(alias, id, dest, true, previous, files, bytes);
    }

    /** Streams one file into {@code dir}, hashing as it goes, and checks its size and SHA-256. */
    private void download(String id, FileEntry f, Path dir) throws PullException, InterruptedException, IOException {
        Path target = dir.resolve(f.name());
        Files.createDirectories(target.getParent());
        URI uri = url(CHECKPOINTS + id + "/files/" + f.name());
        HttpResponse<InputStream> r;
        try {
            r = client.send(request(uri, ANSWER_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(uri, e);
        }
        MessageDigest md = Checksums.sha256();
        long n = 0;
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                byte[] body;
                try {
                    body = in.readNBytes(64 * 1024);
                } catch (IOException e) {
                    body = new byte[0];
                }
                throw failure(uri, r.statusCode(), body);
            }
            progress.start(f.name(), f.size());
            try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[CHUNK];
                while (true) {
                    int k;
                    try {
                        k = in.read(buf);
                    } catch (IOException e) {
                        throw new PullException(Kind.UNREACHABLE, "the connection to " + base + " broke while downloading "
                                + f.name() + " of " + id + " after " + n + " of " + f.size() + " bytes: " + describe(e), e);
                    }
                    if (k < 0) {
                        break;
                    }
                    if (n + k > f.size()) {
                        throw mismatch(id, f, "the manifest says " + f.size() + " bytes, the server sent more");
                    }
                    md.update(buf, 0, k);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, k);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    n += k;
                    progress.advance(n);
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while downloading " + f.name());
                    }
                }
                out.force(true);
            }
        }
        if (n != f.size()) {
            throw mismatch(id, f, "the manifest says " + f.size() + " bytes, the download has " + n);
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(f.sha256())) {
            throw mismatch(id, f, "expected sha256 " + f.sha256() + " (the manifest's), got " + actual);
        }
        progress.done();
    }

    private PullException mismatch(String id, FileEntry f, String what) {
        return new PullException(Kind.CHECKSUM, "checksum mismatch: " + f.name() + " of " + id + " failed verification: " + what
                + "; nothing was installed, " + to.resolve(CURRENT) + " is unchanged");
    }

    /** Whether a folder already there holds exactly the manifest's files (a rollback to the kept previous one). */
    private static boolean intact(Path dir, Manifest m) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(dir.resolve(StoreLayout.MANIFEST))) {
                return false;
            }
            for (FileEntry f : m.files()) {
                Path p = dir.resolve(f.name());
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) != f.size()
                        || !Checksums.sha256(p).equals(f.sha256())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- the links and the folder

    /** Points {@code DIR/name} at {@code target}: a new symlink renamed over the old one (atomic on POSIX). */
    private void link(String name, String target) throws PullException {
        Path tmp = to.resolve("." + name + "-" + random());
        try {
            Files.createSymbolicLink(tmp, Path.of(target));
            Files.move(tmp, to.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            throw local("cannot point " + to.resolve(name) + " at " + target + " (it must be a symbolic link, or absent): " + e, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // removed by the next pull
            }
        }
    }

    private void unlink(String name) throws PullException {
        try {
            Files.deleteIfExists(to.resolve(name));
        } catch (IOException e) {
            throw local("cannot remove " + to.resolve(name) + ": " + e, e);
        }
    }

    /** The folder name a link in {@code DIR} points at; empty when it is no link. */
    private Optional<String> linkTarget(String name) {
        Path link = to.resolve(name);
        try {
            if (!Files.isSymbolicLink(link)) {
                return Optional.empty();
            }
            Path target = Files.readSymbolicLink(link).getFileName();
            return target == null ? Optional.empty() : Optional.of(target.toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Deletes pulled checkpoints other than {@code keep} and {@code previous}: folders named like an id that hold a manifest. */
    private void prune(String keep, Optional<String> previous) {
        List<Path> old = new ArrayList<>();
        try (Stream<Path> s = Files.list(to)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.equals(keep) || previous.equals(Optional.of(name)) || name.equals(CURRENT) || name.equals(PREVIOUS)) {
                    continue;
                }
                if (StoreLayout.ID.matcher(name).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.isRegularFile(p.resolve(StoreLayout.MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
                    old.add(p);
                }
            }
        } catch (IOException e) {
            progress.note("cpt pull: cannot list " + to + " to remove old checkpoints: " + e);
            return;
        }
        for (Path p : old) {
            deleteTree(p);
        }
    }

    /** Downloads and links a crashed or killed pull left behind (we hold the lock, so nobody else is writing them). */
    private void removeLeftovers() {
        try (Stream<Path> s = Files.list(to)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (LEFTOVERS.stream().anyMatch(name::startsWith)) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            progress.note("cpt pull: cannot list " + to + ": " + e);
        }
    }

    private void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            progress.note("cpt pull: cannot delete " + root + ": " + e);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }

    private static void fsyncDirs(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                fsyncDir(p);
            }
        }
    }

    /** Makes a folder's entries durable; a no-op where directories cannot be opened (Windows). */
    private static void fsyncDir(Path dir) {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported here
        }
    }

    /** {@code DIR/.pull.lock}, held by one puller at a time. */
    private record DirLock(FileChannel channel) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close(); // releases the lock
            } catch (IOException ignored) {
                // the process ends the lock anyway
            }
        }
    }

    private DirLock lock() throws PullException {
        FileChannel ch = null;
        try {
            Files.createDirectories(to);
            ch = FileChannel.open(to.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                throw new PullException(Kind.LOCAL, "another cpt pull is writing to " + to + " (it holds " + to.resolve(LOCK) + ")");
            }
            return new DirLock(ch);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw local("cannot create or lock " + to + ": " + e, e);
        }
    }

    // ---- HTTP

    private URI url(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private PullException failure(URI uri, int status, byte[] body) {
        String why = errorText(body);
        String what = "GET " + uri.getRawPath();
        return switch (status) {
            case 401, 403 -> new PullException(Kind.AUTH, base + " refused " + what + " with HTTP " + status + ": " + why
                    + "; " + TOKEN_HINT);
            case 404 -> new PullException(Kind.NOT_FOUND, base + " answered HTTP 404 to " + what + ": " + why);
            default -> new PullException(Kind.SERVER, base + " answered HTTP " + status + " to " + what + ": " + why);
        };
    }

    /** The {@code "error"} of a JSON error body, else the start of the body as text. */
    private static String errorText(byte[] body) {
        if (body == null || body.length == 0) {
            return "(no body)";
        }
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n != null && n.path("error").isTextual()) {
                return n.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON: the text itself
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private PullException unreachable(URI uri, IOException e) {
        return new PullException(Kind.UNREACHABLE, "cannot reach the registry at " + base + " (GET " + uri.getRawPath() + "): "
                + describe(e) + "; is `cpt monitor` or `cpt standalone` serving there? (--url)", e);
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "no connection within " + CONNECT_TIMEOUT.toSeconds() + "s";
            }
            if (t instanceof HttpTimeoutException) {
                return "no answer in time";
            }
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (t instanceof ConnectException && t.getMessage() != null) {
                return t.getMessage().toLowerCase(java.util.Locale.ROOT);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private static PullException local(String message, Exception cause) {
        return new PullException(Kind.LOCAL, message, cause);
    }

    // ---- small things

    private static void checkAlias(String alias) {
        if (alias == null || !StoreLayout.ID.matcher(alias).matches()) {
            throw new IllegalArgumentException("an alias must match " + StoreLayout.ID.pattern() + ", got '" + alias + "'");
        }
    }

    private static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String words(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static void sleep(Duration d, BooleanSupplier stop) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (!stop.getAsBoolean()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }
}
