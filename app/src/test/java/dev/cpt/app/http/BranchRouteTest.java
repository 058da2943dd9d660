package dev.cpt.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpt.core.auth.BearerTokens;
import dev.cpt.core.format.BranchRequest;
import dev.cpt.core.format.Json;
import dev.cpt.trainer.branch.BranchRequests.Outcome;
import dev.cpt.trainer.branch.BranchRequests.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class BranchRouteTest {

    private static final String ADMIN = "admin-token-0123456789";
    private static final String READ = "read-token-0123456789";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private final List<BranchRequest> submitted = new CopyOnWriteArrayList<>();
    private final List<String> origins = new CopyOnWriteArrayList<>();
    private Outcome answer = new Outcome(Result.QUEUED, 1, "queued at position 1: one-minus-sqrt over 20% to 0.0 on upcoming");
    private HttpEndpoint http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
    }

    private BearerTokens tokens() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# scope token\nadmin " + ADMIN + "\nread  " + READ + "\n");
        return BearerTokens.load(file);
    }

    private void serve(BearerTokens tokens) {
        http = HttpEndpoint.start("127.0.0.1", 0).post(BranchRoute.PATH, new BranchRoute(tokens, (request, origin) -> {
            submitted.add(request);
            origins.add(origin);
            return answer;
        }));
    }

    private HttpResponse<String> post(String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.url() + BranchRoute.PATH)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void shouldRefuseEveryRequestNamingTheSettingWhenTheServerHasNoTokens() throws Exception {
        serve(BearerTokens.NONE);

        HttpResponse<String> r = post(ADMIN, "");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("message").asText()).contains("cpt.http.tokens.file");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldAskForABearerTokenWhenThereIsNoAuthorization() throws Exception {
        serve(tokens());

        HttpResponse<String> r = post(null, "");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(json(r).path("status").asText()).isEqualTo("refused");
        assertThat(json(r).path("message").asText()).contains("Authorization: Bearer", "admin");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownTokenAsUnauthorized() throws Exception {
        serve(tokens());

        HttpResponse<String> r = post("not-a-known-token-at-all", "");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("message").asText()).isEqualTo("unknown token");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldForbidAReadToken() throws Exception {
        serve(tokens());

        HttpResponse<String> r = post(READ, "");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("message").asText()).contains("scope read", "needs admin");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldQueueTheConfiguredDefaultsForAnEmptyBodyAndAnswerWithThePosition() throws Exception {
        serve(tokens());
        answer = new Outcome(Result.QUEUED, 3, "queued at position 3: one-minus-sqrt over 20% to 0.0 on upcoming");

        HttpResponse<String> r = post(ADMIN, "");

        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode body = json(r);
        assertThat(body.path("status").asText()).isEqualTo("queued");
        assertThat(body.path("position").asInt()).isEqualTo(3);
        assertThat(body.path("message").asText()).isEqualTo(answer.message());
        assertThat(submitted).containsExactly(BranchRequest.DEFAULTS);
        assertThat(origins).containsExactly("POST /v1/branches");
    }

    @Test
    void shouldHandTheParsedBodyToTheTrainerWithTheNoteInTheOrigin() throws Exception {
        serve(tokens());

        HttpResponse<String> r = post(ADMIN, "{\"steps\":50,\"data\":\"replay\",\"note\":\"nightly\"}");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(submitted).containsExactly(new BranchRequest(null, 50L, null, null, "replay", "nightly"));
        assertThat(origins).containsExactly("POST /v1/branches (nightly)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"steps\":", "{steps: 5}", "[1,2]", "null", "\"linear\"", "{\"fraction\":\"half\"}"})
    void shouldRefuseABodyThatIsNotABranchRequestNamingTheFields(String body) throws Exception {
        serve(tokens());

        HttpResponse<String> r = post(ADMIN, body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("status").asText()).isEqualTo("refused");
        assertThat(json(r).path("message").asText()).contains("shape, steps, fraction, floor, data, note");
        assertThat(submitted).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"INVALID, 400", "QUEUE_FULL, 429", "UNAVAILABLE, 503"})
    void shouldMapEachRefusalToItsStatusWithTheTrainersReason(Result result, int status) throws Exception {
        serve(tokens());
        answer = new Outcome(result, -1, "refused because " + result);

        HttpResponse<String> r = post(ADMIN, "{\"shape\":\"linear\"}");

        assertThat(r.statusCode()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.path("status").asText()).isEqualTo("refused");
        assertThat(body.path("message").asText()).isEqualTo("refused because " + result);
        assertThat(body.has("position")).isFalse();
        assertThat(submitted).hasSize(1);
    }

    @Test
    void shouldAllowOnlyPost() throws Exception {
        serve(tokens());

        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(http.url() + BranchRoute.PATH))
                .header("Authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldAnswerNotFoundBelowThePath() throws Exception {
        serve(tokens());

        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(http.url() + BranchRoute.PATH + "/x"))
                .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldRefuseABodyOverSixtyFourKibibytes() throws Exception {
        serve(tokens());
        String note = "x".repeat(HttpEndpoint.MAX_BODY);

        HttpResponse<String> r = post(ADMIN, "{\"note\":\"" + note + "\"}");

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("over 65536 bytes");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldAcceptABodyOfExactlySixtyFourKibibytes() throws Exception {
        serve(tokens());
        String prefix = "{\"note\":\"";
        String note = "x".repeat(HttpEndpoint.MAX_BODY - prefix.length() - 2);

        HttpResponse<String> r = post(ADMIN, prefix + note + "\"}");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(submitted).extracting(BranchRequest::note).containsExactly(note);
    }
}
