package io.weft.northbound.rest;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what: every request but {@code GET /health} (liveness probes) and the topology page's own files (no
 * data in them) carries {@code Authorization: Bearer
 * TOKEN}; GET and HEAD need a {@code read} token, every other method an {@code admin} one. A missing or unknown
 * token is 401 with {@code WWW-Authenticate: Bearer}, a read token on a write 403, both as problems (RFC 6750).
 * Without a token file every request is let through: the server then listens on loopback only, or with
 * {@code --insecure} (see {@link RestConfig#exposureRefusal()}).
 */
final class Access {

    static final String CLIENT = "weft.client";
    static final Set<String> OPEN_PATHS = Set.of("/health");
    private static final String REALM = "Bearer realm=\"weft\"";

    private final Optional<BearerTokens> tokens;

    Access(Optional<BearerTokens> tokens) {
        this.tokens = tokens;
    }

    /** A before-handler: returns normally when the request may go on, throws a problem otherwise. */
    void check(Context ctx) {
        if (ctx.header("X-HTTP-Method-Override") != null) {
            // Javalin routes by the override; refusing it keeps "the method decides the scope" true.
            throw Problem.badRequest("method-override", "X-HTTP-Method-Override is not supported: send the method "
                    + "itself");
        }
        if (tokens.isEmpty() || OPEN_PATHS.contains(ctx.path()) || TopologyPage.isPagePath(ctx.path())) {
            return;
        }
        String authorization = ctx.header("Authorization");
        if (authorization == null) {
            ctx.header("WWW-Authenticate", REALM);
            throw unauthorized("this request needs Authorization: Bearer TOKEN (tokens are listed in the "
                    + "controller's --rest-tokens file)");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", REALM + ", error=\"invalid_request\"");
            throw unauthorized("Authorization must be Bearer TOKEN");
        }
        Optional<BearerTokens.Client> client = tokens.get().authenticate(authorization.substring(7).strip());
        if (client.isEmpty()) {
            ctx.header("WWW-Authenticate", REALM + ", error=\"invalid_token\"");
            throw unauthorized("the bearer token is not one of the controller's");
        }
        BearerTokens.Scope needed = isRead(ctx.method()) ? BearerTokens.Scope.READ : BearerTokens.Scope.ADMIN;
        if (!client.get().scope().allows(needed)) {
            ctx.header("WWW-Authenticate", REALM + ", error=\"insufficient_scope\", scope=\"admin\"");
            throw new Problem.Failure(403, "forbidden", "Forbidden", "the token of " + client.get().name()
                    + " is read-only: " + ctx.method().name() + " needs an admin token");
        }
        ctx.attribute(CLIENT, client.get().name());
    }

    private static boolean isRead(HandlerType method) {
        return method.equals(HandlerType.GET) || method.equals(HandlerType.HEAD);
    }

    private static Problem.Failure unauthorized(String detail) {
        return new Problem.Failure(401, "unauthorized", "Unauthorized", detail);
    }
}
