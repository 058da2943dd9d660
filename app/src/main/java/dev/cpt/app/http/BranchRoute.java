package dev.cpt.app.http;

import dev.cpt.app.http.HttpEndpoint.Request;
import dev.cpt.app.http.HttpEndpoint.Response;
import dev.cpt.core.auth.BearerTokens;
import dev.cpt.core.format.BranchRequest;
import dev.cpt.core.format.Json;
import dev.cpt.trainer.branch.BranchRequests;

import java.io.IOException;
import java.util.function.BiFunction;

/**
 * {@code POST /v1/branches}: an admin asks the trainer for a decayed branch now. The body is a
 * {@link BranchRequest} JSON object (empty = the configured defaults). Answers 202 with the queue
 * position, 400 for an invalid request, 401/403 for a missing or weak token, 429 when the queue is
 * full, 503 when the trainer is not running.
 */
public final class BranchRoute implements HttpEndpoint.Handler {

    public static final String PATH = "/v1/branches";

    private final BearerTokens tokens;
    private final BiFunction<BranchRequest, String, BranchRequests.Outcome> submit;

    public BranchRoute(BearerTokens tokens, BiFunction<BranchRequest, String, BranchRequests.Outcome> submit) {
        this.tokens = tokens;
        this.submit = submit;
    }

    @Override
    public Response handle(Request request) {
        Response denied = Auth.require(tokens, request, BearerTokens.Scope.ADMIN);
        if (denied != null) {
            return denied;
        }
        BranchRequest body;
        try {
            body = BranchRequest.parse(request.body());
        } catch (IOException e) {
            return error(400, "the body must be a JSON object with any of shape, steps, fraction, floor, data, note: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        BranchRequests.Outcome o = submit.apply(body, "POST " + PATH + (body.note() == null ? "" : " (" + body.note() + ")"));
        int status = switch (o.result()) {
            case QUEUED -> 202;
            case INVALID -> 400;
            case QUEUE_FULL -> 429;
            case UNAVAILABLE -> 503;
        };
        return Response.json(status, json(o.accepted() ? "queued" : "refused", o.message(), o.position()));
    }

    static Response error(int status, String message) {
        return Response.json(status, json("refused", message, -1));
    }

    private static String json(String status, String message, int position) {
        try {
            var node = Json.MAPPER.createObjectNode().put("status", status).put("message", message);
            if (position > 0) {
                node.put("position", position);
            }
            return Json.MAPPER.writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
