package io.authrelay.server.http;

import io.authrelay.core.auth.Principal;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The one way a browser may call the API: a web-console session. The {@link Authenticator} asks it about requests that
 * carry no bearer token; everything else a browser sends is still refused by the {@link BrowserGuard}.
 */
public interface BrowserSessions {
    /** The console's own page and assets and the one-time link exchange, which need no session. */
    boolean isPublic(String path);

    /**
     * The console session a request carries, empty if it carries none.
     *
     * @throws ApiException when it carries one that is not valid here (expired, without its tab secret, or sent from
     *     another origin)
     */
    Optional<Principal> authenticate(Context ctx);
}
