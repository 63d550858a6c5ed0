package io.authrelay.server.http;

import io.authrelay.core.auth.Scope;
import io.javalin.security.RouteRole;
import java.util.Set;

/**
 * What a route asks of its caller, declared where the route is registered and checked by {@link Authorizer} once the
 * route is matched. A route that declares nothing needs {@link #ADMIN}, so a route added without thought is closed,
 * not open. The public probes need no token at all and are listed in {@link Authenticator}.
 */
public enum Access implements RouteRole {
    /** Vending: workspace tokens only. Neither the admin token nor any API token receives credentials this way. */
    WORKSPACE(null),
    /** The Prometheus endpoint: API tokens of any scope. */
    METRICS(Scope.METRICS),
    /** Reads that reveal no secret. */
    READ(Scope.READ),
    /** Writes, and reads of secrets. */
    ADMIN(Scope.ADMIN),
    /** The admin token itself, never an API token, whatever its scope. */
    ADMIN_TOKEN(Scope.ADMIN);

    private final Scope scope;

    Access(Scope scope) {
        this.scope = scope;
    }

    /** The scope an API token needs here; null for {@link #WORKSPACE}. */
    Scope scope() {
        return scope;
    }

    static Access of(Set<RouteRole> declared) {
        return declared.stream()
                .filter(Access.class::isInstance)
                .map(Access.class::cast)
                .findFirst()
                .orElse(ADMIN);
    }
}
