package io.authrelay.core.auth;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.workspace.Workspace;

/**
 * Who an authenticated request acts as. The admin token manages the broker; an API token does what its scope allows;
 * a web-console session manages the broker like the admin but, being a browser's, may not mint lasting admin
 * credentials (rotate the admin token, create admin-scope API tokens); workspaces may only receive what they were
 * granted ({@code scope} is null for them).
 */
public record Principal(Kind kind, String name, Scope scope, Workspace workspace) {
    public enum Kind {
        ADMIN,
        API_TOKEN,
        CONSOLE,
        WORKSPACE
    }

    public static Principal admin() {
        return new Principal(Kind.ADMIN, "admin", Scope.ADMIN, null);
    }

    /** A person signed in to the web console: admin scope, for as long as the session lasts. */
    public static Principal console() {
        return new Principal(Kind.CONSOLE, "admin:console", Scope.ADMIN, null);
    }

    public static Principal apiToken(String tokenName, Scope scope) {
        return new Principal(Kind.API_TOKEN, "api-token:" + tokenName, scope, null);
    }

    public static Principal of(Workspace workspace) {
        return new Principal(Kind.WORKSPACE, "workspace:" + workspace.name(), null, workspace);
    }

    public boolean has(Scope needed) {
        return scope != null && scope.covers(needed);
    }

    public Actor actorFrom(String origin) {
        return new Actor(name, origin);
    }
}
