package io.authrelay.core.auth;

import io.authrelay.core.audit.Actor;

/** Who an authenticated request acts as. Admins manage the broker; workspaces (later) may only receive what they were granted. */
public record Principal(Kind kind, String name) {
    public enum Kind { ADMIN }

    public static Principal admin() {
        return new Principal(Kind.ADMIN, "admin");
    }

    public Actor actorFrom(String origin) {
        return new Actor(name, origin);
    }
}
