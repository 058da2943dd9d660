package dev.cpt.core.auth;

import dev.cpt.core.store.Checksums;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bearer tokens with scopes, read from a file of {@code <scope> <token>} lines ({@code #} starts a
 * comment). {@code admin} includes {@code read}. Tokens are kept only as SHA-256 digests and
 * compared in constant time, so neither the content nor the length of a token leaks through timing.
 */
public final class BearerTokens {

    /** What a token may do. */
    public enum Scope {
        READ, ADMIN;

        boolean includes(Scope other) {
            return this == ADMIN || this == other;
        }
    }

    /** The outcome of checking a request's {@code Authorization} header. */
    public sealed interface Decision {
        record Allowed(Scope scope) implements Decision {
        }

        /** 401: no token, or one we do not know. */
        record Unauthorized(String reason) implements Decision {
        }

        /** 403: a valid token without the scope the route needs. */
        record Forbidden(String reason) implements Decision {
        }
    }

    /** Tokens shorter than this are refused at load: a guessable admin token is worse than none. */
    public static final int MIN_LENGTH = 16;

    private record Entry(Scope scope, byte[] digest) {
    }

    private final List<Entry> entries;

    private BearerTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static final BearerTokens NONE = new BearerTokens(List.of());

    /** Loads a tokens file; errors name the file and line, never the token. */
    public static BearerTokens load(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("tokens file " + file + " does not exist (cpt.http.tokens.file)", e);
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = file + " line " + (i + 1);
            if (parts.length != 2) {
                throw new IOException(where + ": expected '<scope> <token>' (scope read or admin)");
            }
            Scope scope;
            try {
                scope = Scope.valueOf(parts[0].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // the word is not echoed: it may be the token itself, written before its scope
                throw new IOException(where + ": the first word is not a scope; expected '<scope> <token>' with scope read|admin");
            }
            if (parts[1].length() < MIN_LENGTH) {
                throw new IOException(where + ": token is shorter than " + MIN_LENGTH + " characters");
            }
            out.add(new Entry(scope, digest(parts[1])));
        }
        return new BearerTokens(out);
    }

    /** Tokens from {@code scope:token,scope:token} text (the environment); errors never include a token. */
    public static BearerTokens parse(String text) {
        List<Entry> out = new ArrayList<>();
        if (!text.isBlank()) {
            String[] pairs = text.split(",");
            for (int i = 0; i < pairs.length; i++) {
                String pair = pairs[i].strip();
                int colon = pair.indexOf(':');
                Scope scope = null;
                if (colon > 0) {
                    try {
                        scope = Scope.valueOf(pair.substring(0, colon).toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        scope = null;
                    }
                }
                if (scope == null || pair.length() - colon - 1 < MIN_LENGTH) {
                    throw new IllegalArgumentException("token pair " + (i + 1) + " is not scope:token with scope read|admin and a token of "
                            + MIN_LENGTH + " or more characters");
                }
                out.add(new Entry(scope, digest(pair.substring(colon + 1))));
            }
        }
        return new BearerTokens(out);
    }

    /** These tokens and {@code other}'s. */
    public BearerTokens and(BearerTokens other) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        return new BearerTokens(all);
    }

    /** Tokens given in code (tests, or a token taken from the environment). */
    public static BearerTokens of(Scope scope, String token) {
        return new BearerTokens(List.of(new Entry(scope, digest(token))));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Checks an {@code Authorization} header value (may be null) for a route that needs {@code needed}. */
    public Decision check(String authorization, Scope needed) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Decision.Unauthorized("send 'Authorization: Bearer <token>' with a " + word(needed) + " token");
        }
        byte[] presented = digest(authorization.substring(7).strip());
        Scope found = null;
        for (Entry e : entries) { // no early exit: every entry is compared
            if (MessageDigest.isEqual(e.digest, presented) && (found == null || e.scope == Scope.ADMIN)) {
                found = e.scope;
            }
        }
        if (found == null) {
            return new Decision.Unauthorized("unknown token");
        }
        if (!found.includes(needed)) {
            return new Decision.Forbidden("this token has scope " + word(found) + "; the route needs " + word(needed));
        }
        return new Decision.Allowed(found);
    }

    private static String word(Scope s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static byte[] digest(String token) {
        return Checksums.sha256().digest(token.getBytes(StandardCharsets.UTF_8));
    }
}
