package io.authrelay.server.http;

import io.authrelay.core.Durations;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.audit.AuditQuery;
import io.authrelay.core.vault.KeyRotation;
import io.authrelay.server.home.AdminTokenFile;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The audit log, the vault's keys and the admin token. */
final class AdminRoutes {
    private final AuditLog audit;
    private final KeyRotation keys;
    private final AdminTokenFile adminToken;
    private final Clock clock;

    AdminRoutes(AuditLog audit, KeyRotation keys, AdminTokenFile adminToken, Clock clock) {
        this.audit = audit;
        this.keys = keys;
        this.adminToken = adminToken;
        this.clock = clock;
    }

    void register(RoutesConfig routes) {
        routes.get(
                "/v1/audit",
                ctx -> ctx.json(
                        Map.of("events", filtered(ctx) ? audit.find(query(ctx)) : audit.since(since(ctx), limit(ctx)))),
                Access.READ);
        routes.get("/v1/keys", ctx -> ctx.json(Map.of("keys", keys.status())), Access.READ);
        routes.post("/v1/keys/rotate", ctx -> answerRotation(ctx, "keys.rotate", keys.rotate()));
        routes.post("/v1/keys/reseal", ctx -> answerRotation(ctx, "keys.reseal", keys.reseal()));
        routes.post("/v1/admin-token/rotate", this::rotateAdminToken, Access.ADMIN_TOKEN);
    }

    /** Audits a rotation or reseal and answers with the primary key, the rows re-sealed and the keys' usage. */
    private void answerRotation(Context ctx, String action, KeyRotation.Result result) {
        audit.append(
                clock.instant(),
                Authenticator.actor(ctx),
                action,
                "key " + result.newPrimaryKeyId(),
                AuditLog.OK,
                "resealed=" + result.resealed());
        ctx.json(Map.of(
                "primary_key_id", result.newPrimaryKeyId(), "resealed", result.resealed(), "keys", keys.status()));
    }

    private void rotateAdminToken(Context ctx) {
        String token = adminToken.rotate();
        Instant now = clock.instant();
        audit.append(now, Authenticator.actor(ctx), "admin-token.rotate", "admin", AuditLog.OK, null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("rotated_at", now);
        answer.put("token_file", adminToken.file().toString());
        // A caller on the home's socket can read the file, so the token need not travel; a caller over the network
        // has no file, and without the token in the answer it would have just locked itself out.
        if (!HomeSocketListener.carried(ctx)) answer.put("token", token);
        ctx.header("Cache-Control", "no-store").json(answer);
    }

    private static final java.util.List<String> FILTERS =
            java.util.List.of("workspace", "provider", "action", "before", "until");

    /** With a filter, a page or {@code order=newest} the answer is newest first; without, oldest first as it was. */
    private static boolean filtered(Context ctx) {
        return "newest".equals(ctx.queryParam("order")) || FILTERS.stream().anyMatch(f -> ctx.queryParam(f) != null);
    }

    private AuditQuery query(Context ctx) {
        return new AuditQuery(
                instant(ctx, "since", Instant.EPOCH),
                instant(ctx, "until", null),
                before(ctx),
                blankToNull(ctx.queryParam("workspace")),
                blankToNull(ctx.queryParam("provider")),
                blankToNull(ctx.queryParam("action")),
                limit(ctx));
    }

    private static Long before(Context ctx) {
        String value = blankToNull(ctx.queryParam("before"));
        try {
            return value == null ? null : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "invalid_before", "before must be an audit event's id", null);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private Instant since(Context ctx) {
        return instant(ctx, "since", Instant.EPOCH);
    }

    /** A time parameter: an ISO instant or a duration back from now such as 15m, 2h, 7d; {@code absent} if not given. */
    private Instant instant(Context ctx, String name, Instant absent) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) return absent;
        try {
            return Durations.looksLikeDuration(value)
                    ? clock.instant().minus(Durations.parse(value))
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(
                    400, "invalid_" + name, name + " must be an ISO-8601 instant or a duration like 15m, 2h, 7d", null);
        }
    }

    private static int limit(Context ctx) {
        String value = ctx.queryParam("limit");
        if (value == null) return 1000;
        try {
            int limit = Integer.parseInt(value);
            if (limit < 1 || limit > 10_000) throw new NumberFormatException();
            return limit;
        } catch (NumberFormatException e) {
            throw new ApiException(400, "invalid_limit", "limit must be a whole number from 1 to 10000", null);
        }
    }
}
