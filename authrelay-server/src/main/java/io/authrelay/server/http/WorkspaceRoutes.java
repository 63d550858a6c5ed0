package io.authrelay.server.http;

import io.authrelay.core.Durations;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.workspace.Grant;
import io.authrelay.core.workspace.Workspace;
import io.authrelay.core.workspace.WorkspaceGrants;
import io.authrelay.core.workspace.WorkspaceService;
import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Admin management of workspaces, and a workspace's view of itself. */
final class WorkspaceRoutes {
    record CreateWorkspace(@Required String name, @Required List<String> grants, Boolean allowExec, String ttl) {}

    record Rotate(String ttl) {}

    record ChangeGrants(@Required List<String> grants, Boolean allowExec) {}

    record GrantView(String provider, String host, String path, boolean allowExec) {
        static GrantView of(Grant g) {
            return new GrantView(g.provider(), g.host().toString(), g.pathPattern(), g.allowExec());
        }
    }

    private final WorkspaceService workspaces;
    private final WorkspaceGrants grants;

    WorkspaceRoutes(WorkspaceService workspaces, WorkspaceGrants grants) {
        this.workspaces = workspaces;
        this.grants = grants;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/workspaces", ctx -> {
            CreateWorkspace body = RequestBodies.read(ctx, CreateWorkspace.class);
            WorkspaceService.Issued issued = workspaces.create(
                    body.name(),
                    body.grants(),
                    Boolean.TRUE.equals(body.allowExec()),
                    ttl(body.ttl()),
                    Authenticator.actor(ctx));
            ctx.status(201).header("Cache-Control", "no-store").json(issuedView(issued));
        });
        routes.get(
                "/v1/workspaces",
                ctx -> ctx.json(Map.of(
                        "workspaces",
                        workspaces.list().stream().map(WorkspaceRoutes::view).toList())),
                Access.READ);
        routes.get("/v1/workspaces/{name}", ctx -> ctx.json(view(workspaces.get(ctx.pathParam("name")))), Access.READ);
        routes.post("/v1/workspaces/{name}/revoke", ctx -> {
            workspaces.revoke(ctx.pathParam("name"), Authenticator.actor(ctx));
            ctx.json(view(workspaces.get(ctx.pathParam("name"))));
        });
        routes.post("/v1/workspaces/{name}/rotate", ctx -> {
            Rotate body = ctx.contentLength() > 0 ? RequestBodies.read(ctx, Rotate.class) : new Rotate(null);
            Actor actor = Authenticator.actor(ctx);
            ctx.header("Cache-Control", "no-store")
                    .json(issuedView(workspaces.rotate(ctx.pathParam("name"), ttl(body.ttl()), actor)));
        });
        routes.post("/v1/workspaces/{name}/grants", ctx -> {
            ChangeGrants body = RequestBodies.read(ctx, ChangeGrants.class);
            String name = ctx.pathParam("name");
            WorkspaceGrants.Checked added =
                    grants.grant(name, body.grants(), Boolean.TRUE.equals(body.allowExec()), Authenticator.actor(ctx));
            Map<String, Object> view = view(workspaces.get(name));
            view.put("warnings", added.warnings());
            ctx.json(view);
        });
        routes.post("/v1/workspaces/{name}/ungrant", ctx -> {
            ChangeGrants body = RequestBodies.read(ctx, ChangeGrants.class);
            grants.ungrant(ctx.pathParam("name"), body.grants(), Authenticator.actor(ctx));
            ctx.json(view(workspaces.get(ctx.pathParam("name"))));
        });
        routes.delete("/v1/workspaces/{name}", ctx -> {
            workspaces.delete(ctx.pathParam("name"), Authenticator.actor(ctx));
            ctx.status(204);
        });
        routes.get(
                "/v1/workspace",
                ctx -> ctx.json(view(Authenticator.principal(ctx).workspace())),
                Access.WORKSPACE);
    }

    private static Map<String, Object> issuedView(WorkspaceService.Issued issued) {
        Map<String, Object> view = view(issued.workspace());
        view.put("token", issued.token());
        view.put("warnings", issued.warnings());
        return view;
    }

    static Map<String, Object> view(Workspace w) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", w.name());
        view.put("grants", w.grants().stream().map(GrantView::of).toList());
        view.put(
                "hosts",
                w.grants().stream().map(g -> g.host().toString()).distinct().toList());
        view.put("expires_at", w.expiresAt());
        view.put("revoked_at", w.revokedAt());
        view.put("state", w.isRevoked() ? "revoked" : w.isExpired(Instant.now()) ? "expired" : "active");
        view.put("created_at", w.createdAt());
        return view;
    }

    private static Duration ttl(String value) {
        if (value == null) return null;
        try {
            return Durations.parseOrNever(value);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_ttl", "ttl must be like 30m, 24h, 7d, or never", null);
        }
    }
}
