package io.authrelay.core.apitoken;

import io.authrelay.core.DomainException;
import io.authrelay.core.Ids;
import io.authrelay.core.Names;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.auth.Principal;
import io.authrelay.core.auth.Scope;
import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.token.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Creating, listing, revoking and recognising API tokens. A token is shown once, when it is created. */
public final class ApiTokenService {
    public static final String TOKEN_PREFIX = "art_";
    /** A scraper calls every few seconds: recording each use would turn every read into a write. */
    public static final Duration LAST_USE_PRECISION = Duration.ofMinutes(1);

    public record Issued(ApiToken apiToken, String token) {
        @Override
        public String toString() {
            return "Issued[" + apiToken.name() + ", token=redacted]";
        }
    }

    private final ServiceContext context;
    private final ApiTokenRepository tokens;

    public ApiTokenService(ServiceContext context, ApiTokenRepository tokens) {
        this.context = context;
        this.tokens = tokens;
    }

    public Issued create(String name, String scopeName, Principal creator, String origin) {
        Names.require("API token", name);
        Scope scope = Scope.parse(scopeName);
        // Only the admin token mints admin-scope tokens. An admin-scope API token exists to be revocable: if it could
        // mint another admin token, whoever stole it would mint a successor first, and revoking the stolen one would
        // no longer end their access. Tokens of lesser scope cannot change anything, so handing them out is harmless.
        if (scope == Scope.ADMIN && creator.kind() != Principal.Kind.ADMIN) {
            throw DomainException.forbidden(
                    "insufficient_scope",
                    "only the admin token can create admin-scope API tokens",
                    "create it with the admin token, or choose --scope read or --scope metrics");
        }
        Instant now = context.clock().instant();
        String token = Tokens.generate(TOKEN_PREFIX);
        SecretRedactor.register(token);
        ApiToken created = new ApiToken(Ids.random("at_"), name, scope, Tokens.hash(token), now, null, null);
        context.tx().inTransaction(() -> {
            if (!tokens.insert(created)) {
                throw DomainException.conflict(
                        "api_token_exists",
                        "an API token named '" + name + "' already exists",
                        "choose another name; list them with: authrelay api-token list");
            }
            context.audit()
                    .append(
                            now,
                            creator.actorFrom(origin),
                            "api-token.create",
                            name,
                            AuditLog.OK,
                            "scope=" + scope.wireName());
            return null;
        });
        return new Issued(created, token);
    }

    /** The token's record when it is known and not revoked; a revoked token is as good as a wrong one. */
    public Optional<ApiToken> authenticate(String token) {
        Optional<ApiToken> found = tokens.findByTokenHash(Tokens.hash(token))
                // The lookup is by hash; the constant-time comparison guards against a store that matched loosely.
                .filter(t -> Tokens.matches(token, t.tokenHash()) && !t.isRevoked());
        found.ifPresent(this::recordUse);
        return found;
    }

    public List<ApiToken> list() {
        return tokens.list();
    }

    public ApiToken get(String name) {
        return tokens.findByName(name)
                .orElseThrow(() -> DomainException.notFound(
                        "api_token_not_found",
                        "no API token named '" + name + "'",
                        "list them with: authrelay api-token list"));
    }

    /** Revoking twice is not an error: the first revocation time stays. */
    public ApiToken revoke(String name, Actor actor) {
        get(name);
        Instant now = context.clock().instant();
        boolean changed = tokens.revoke(name, now);
        context.audit().append(now, actor, "api-token.revoke", name, AuditLog.OK, changed ? null : "already revoked");
        return get(name);
    }

    private void recordUse(ApiToken token) {
        Instant now = context.clock().instant();
        Instant stale = now.minus(LAST_USE_PRECISION);
        if (token.lastUsedAt() == null || token.lastUsedAt().isBefore(stale)) tokens.recordUse(token.id(), now, stale);
    }
}
