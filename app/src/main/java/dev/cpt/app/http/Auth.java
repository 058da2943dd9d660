package dev.cpt.app.http;

import dev.cpt.core.auth.BearerTokens;
import dev.cpt.core.auth.BearerTokens.Decision;

/** Bearer-token checks for HTTP routes. */
public final class Auth {

    private Auth() {
    }

    /** Null when the request may go on; otherwise the 401 or 403 answer. */
    public static HttpEndpoint.Response require(BearerTokens tokens, HttpEndpoint.Request request, BearerTokens.Scope scope) {
        if (tokens.isEmpty()) {
            return BranchRoute.error(401, "this server has no tokens: set cpt.http.tokens.file to a file of '<scope> <token>' lines");
        }
        Decision d = tokens.check(request.header("Authorization"), scope);
        if (d instanceof Decision.Unauthorized u) {
            return BranchRoute.error(401, u.reason());
        }
        if (d instanceof Decision.Forbidden f) {
            return BranchRoute.error(403, f.reason());
        }
        return null;
    }
}
