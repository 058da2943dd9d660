package dev.cpt.core.auth;

import dev.cpt.core.auth.BearerTokens.Decision;
import dev.cpt.core.auth.BearerTokens.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Bearer tokens with read and admin scopes, loaded from a file whose errors never show a token. */
class BearerTokensTest {

    private static final String READ = "r3ad-t0ken-0123456789";
    private static final String ADMIN = "adm1n-t0ken-ABCDEFGHIJ";

    @TempDir
    Path dir;

    private BearerTokens tokens() throws IOException {
        Path f = Files.writeString(dir.resolve("tokens"), """
                # cpt tokens: <scope> <token>
                
                   # indented comment
                read %s
                \tADMIN\t\t%s  \s
                
                """.formatted(READ, ADMIN));
        return BearerTokens.load(f);
    }

    private IOException loadFailure(String content) throws IOException {
        Path f = Files.writeString(dir.resolve("tokens"), content);
        IOException e = catchThrowableOfType(IOException.class, () -> BearerTokens.load(f));
        assertThat(e).as("load of %s", content).isNotNull();
        return e;
    }

    @Test
    void shouldLoadTokensSkippingCommentsAndBlankLines() throws IOException {
        BearerTokens t = tokens();

        assertThat(t.isEmpty()).isFalse();
        assertThat(t.check("Bearer " + READ, Scope.READ)).isEqualTo(new Decision.Allowed(Scope.READ));
        assertThat(t.check("Bearer " + ADMIN, Scope.ADMIN)).isEqualTo(new Decision.Allowed(Scope.ADMIN));
    }

    @Test
    void shouldLoadAnEmptyFileAsNoTokens() throws IOException {
        Path f = Files.writeString(dir.resolve("tokens"), "# nobody yet\n\n");

        BearerTokens t = BearerTokens.load(f);

        assertThat(t.isEmpty()).isTrue();
        assertThat(t.check("Bearer " + ADMIN, Scope.READ)).isInstanceOf(Decision.Unauthorized.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad scope          | 'write   TOKEN'                  | 3 | 'read|admin'",
            "missing token      | 'admin'                         | 3 | <scope> <token>",
            "missing scope      | 'TOKEN'                         | 3 | <scope> <token>",
            "token then scope   | 'TOKEN admin'                   | 3 | 'read|admin'",
            "extra field        | 'admin TOKEN extra'             | 3 | <scope> <token>",
            "inline comment     | 'admin TOKEN # ops'             | 3 | <scope> <token>",
    })
    void shouldNameFileAndLineButNeverTheTokenForABadLine(String what, String line, int lineNo, String hint) throws IOException {
        String token = "s3cret-t0ken-never-shown";
        IOException e = loadFailure("# header\nread " + READ + "\n" + line.replace("TOKEN", token) + "\n");

        assertThat(e.getMessage())
                .as(what)
                .contains(dir.resolve("tokens").toString(), "line " + lineNo, hint)
                .doesNotContain(token, READ);
    }

    @Test
    void shouldRefuseATokenShorterThanSixteenCharactersWithoutShowingIt() throws IOException {
        String shortToken = "abc123xyz789qqq"; // 15 characters
        IOException e = loadFailure("\n\nadmin " + shortToken + "\n");

        assertThat(e.getMessage())
                .contains(dir.resolve("tokens").toString(), "line 3", "shorter than 16")
                .doesNotContain(shortToken);
        assertThat(BearerTokens.MIN_LENGTH).isEqualTo(16);
    }

    @Test
    void shouldAcceptATokenOfExactlySixteenCharacters() throws IOException {
        Path f = Files.writeString(dir.resolve("tokens"), "read 0123456789abcdef\n");

        assertThat(BearerTokens.load(f).check("Bearer 0123456789abcdef", Scope.READ)).isEqualTo(new Decision.Allowed(Scope.READ));
    }

    @Test
    void shouldNameTheFileWhenItDoesNotExist() {
        Path missing = dir.resolve("no-such-tokens");

        IOException e = catchThrowableOfType(IOException.class, () -> BearerTokens.load(missing));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(missing.toString(), "does not exist");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "Basic dXNlcjpwYXNz", "Token " + READ, "Bearer", "Bearer" + READ, READ, "Bearer\t" + READ})
    void shouldRefuseAHeaderWithoutBearerPrefixAsUnauthorized(String header) throws IOException {
        Decision d = tokens().check(header, Scope.READ);

        assertThat(d).isInstanceOf(Decision.Unauthorized.class);
        assertThat(((Decision.Unauthorized) d).reason()).contains("Bearer").doesNotContain(READ);
    }

    @Test
    void shouldRefuseAMissingHeaderAsUnauthorized() throws IOException {
        assertThat(tokens().check(null, Scope.ADMIN)).isInstanceOf(Decision.Unauthorized.class);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"Bearer ", "Bearer unknown-token-0123456789", "Bearer r3ad-t0ken-012345678", "Bearer R3AD-T0KEN-0123456789",
            "Bearer r3ad-t0ken-01234567890"})
    void shouldRefuseAnUnknownTokenAsUnauthorizedWithoutEchoingIt(String header) throws IOException {
        Decision d = tokens().check(header, Scope.READ);

        assertThat(d).isEqualTo(new Decision.Unauthorized("unknown token"));
    }

    @Test
    void shouldForbidAReadTokenOnAnAdminRouteNamingBothScopes() throws IOException {
        Decision d = tokens().check("Bearer " + READ, Scope.ADMIN);

        assertThat(d).isInstanceOf(Decision.Forbidden.class);
        assertThat(((Decision.Forbidden) d).reason()).contains("scope read", "needs admin").doesNotContain(READ);
    }

    @Test
    void shouldAllowAnAdminTokenOnAReadRouteWithAdminScope() throws IOException {
        assertThat(tokens().check("Bearer " + ADMIN, Scope.READ)).isEqualTo(new Decision.Allowed(Scope.ADMIN));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"bearer ", "BEARER ", "bEaReR ", "Bearer   "})
    void shouldAcceptTheBearerPrefixInAnyCase(String prefix) throws IOException {
        assertThat(tokens().check(prefix + ADMIN + " ", Scope.ADMIN)).isEqualTo(new Decision.Allowed(Scope.ADMIN));
    }

    @Test
    void shouldGiveTheWidestScopeOfATokenListedTwice() throws IOException {
        Path f = Files.writeString(dir.resolve("tokens"), "admin " + ADMIN + "\nread " + ADMIN + "\n");

        assertThat(BearerTokens.load(f).check("Bearer " + ADMIN, Scope.ADMIN)).isEqualTo(new Decision.Allowed(Scope.ADMIN));
    }

    @Test
    void shouldRefuseEverythingWithNone() {
        assertThat(BearerTokens.NONE.isEmpty()).isTrue();
        for (Scope s : Scope.values()) {
            assertThat(BearerTokens.NONE.check(null, s)).isInstanceOf(Decision.Unauthorized.class);
            assertThat(BearerTokens.NONE.check("Bearer " + ADMIN, s)).isInstanceOf(Decision.Unauthorized.class);
            assertThat(BearerTokens.NONE.check("Bearer ", s)).isInstanceOf(Decision.Unauthorized.class);
        }
    }

    @Test
    void shouldCheckATokenGivenInCode() {
        BearerTokens t = BearerTokens.of(Scope.READ, READ);

        assertThat(t.isEmpty()).isFalse();
        assertThat(t.check("Bearer " + READ, Scope.READ)).isEqualTo(new Decision.Allowed(Scope.READ));
        assertThat(t.check("Bearer " + READ, Scope.ADMIN)).isInstanceOf(Decision.Forbidden.class);
        assertThat(t.check("Bearer " + ADMIN, Scope.READ)).isInstanceOf(Decision.Unauthorized.class);
    }
}
