package io.authrelay.core.auth;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.workspace.Workspace;

/** Who an authenticated request acts as. Admins manage the broker; workspaces may only receive what they were granted. */
public record Principal(Kind kind, String name, Workspace workspace) {
    public enum Kind {
        ADMIN,
        WORKSPACE
    }

    public static Principal admin() {
        return new Principal(Kind.ADMIN, "admin", null);
    }

    public static Principal of(Workspace workspace) {
        return new Principal(Kind.WORKSPACE, "workspace:" + workspace.name(), workspace);
    }

    public Actor actorFrom(String origin) {
        return new Actor(name, origin);
    }
}
