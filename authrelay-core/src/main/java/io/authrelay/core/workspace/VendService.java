package io.authrelay.core.workspace;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialRefresher;
import io.authrelay.core.credential.CredentialRepository;
import io.authrelay.core.credential.CredentialState;
import io.authrelay.core.net.Printable;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The hot path: grant match, fresh secret (refreshed first if stale), presentation, audit. A workspace
 * never receives a refresh token, and git is told to trust a vended secret for at most an hour.
 */
public final class VendService {
    /** Even a token that never expires is handed out as if it did, so git's cache re-asks the broker. */
    public static final Duration MAX_TRUST = Duration.ofHours(1);

    /**
     * git reports every credential a host rejected, and a workspace can report as often as it likes; a credential
     * refreshed this recently is not refreshed again on a report, so reports cannot drive calls to the provider.
     */
    public static final Duration REFRESH_ON_REJECT_AFTER = Duration.ofMinutes(1);

    private final ServiceContext context;
    private final CredentialRepository credentials;
    private final CredentialRefresher refresher;
    private final VendObserver observer;
    private final GrantResolver grants;

    public VendService(
            ServiceContext context,
            CredentialRepository credentials,
            CredentialRefresher refresher,
            VendObserver observer) {
        this.context = context;
        this.credentials = credentials;
        this.refresher = refresher;
        this.observer = observer;
        this.grants = new GrantResolver(context.providers());
    }

    public Vend vend(Workspace workspace, VendRequest request, String origin) {
        Instant started = context.clock().instant();
        Actor actor = new Actor("workspace:" + workspace.name(), origin);
        String target = describe(request);
        try {
            Vend vend = present(workspace, request);
            context.audit().append(context.clock().instant(), actor, "vend", vend.provider(), AuditLog.OK, target);
            observer.vended(
                    workspace.name(),
                    "ok",
                    Duration.between(started, context.clock().instant()));
            return vend;
        } catch (DomainException e) {
            context.audit()
                    .append(
                            context.clock().instant(),
                            actor,
                            "vend",
                            Printable.of(request.provider() != null ? request.provider() : request.host()),
                            e.kind() == DomainException.Kind.FORBIDDEN ? AuditLog.DENIED : AuditLog.FAILED,
                            target + " " + e.code());
            observer.vended(
                    workspace.name(),
                    e.code(),
                    Duration.between(started, context.clock().instant()));
            throw e;
        }
    }

    /**
     * The same grant check and fresh secret as {@link #vend}, for the credential relay, which presents the secret to
     * the upstream itself and writes one audit row per relayed request (with its status and size) in place of the
     * vend's row. A refusal is thrown as in {@link #vend}, unaudited: the relay's row records it.
     */
    public Vend forRelay(Workspace workspace, VendRequest request) {
        return present(workspace, request);
    }

    private Vend present(Workspace workspace, VendRequest request) {
        Grant grant = grants.resolve(workspace, request);
        Provider provider = context.providers().get(grant.provider());
        Secret secret = refresher.freshAccessToken(provider.name());
        Optional<Credential> credential = credentials.find(provider.name()); // after the refresh: its row as it is now
        return new Vend(
                provider.name(),
                provider.kind(),
                provider.host(),
                usernameFor(provider),
                secret,
                expiryOf(credential),
                credential.map(Credential::account).orElse(null));
    }

    /**
     * git erased a credential because the host rejected it. A refreshable credential is refreshed now; any
     * other is marked with the rejection so status and diagnose show it.
     * @return what the broker did: refreshed, recorded, or ignored (not this workspace's)
     */
    public String reject(Workspace workspace, VendRequest request, String origin) {
        Actor actor = new Actor("workspace:" + workspace.name(), origin);
        Grant grant;
        try {
            grant = grants.resolve(workspace, request);
        } catch (DomainException e) {
            return "ignored";
        }
        Optional<Credential> credential = credentials.find(grant.provider());
        if (credential.isEmpty()) return "ignored";
        Credential c = credential.get();
        String detail = "rejected by " + Printable.of(request.host()) + " (reported by " + actor.name() + ")";
        context.timeline()
                .record(null, c.provider(), context.clock().instant(), "rejected", null, "host_rejected", detail);
        context.audit()
                .append(
                        context.clock().instant(),
                        actor,
                        "vend.rejected",
                        c.provider(),
                        AuditLog.FAILED,
                        describe(request));
        if (c.refreshable() && c.state() == CredentialState.CONNECTED) {
            Instant refreshed = c.lastRefreshAt();
            if (refreshed != null && refreshed.isAfter(context.clock().instant().minus(REFRESH_ON_REJECT_AFTER))) {
                return "recently_refreshed";
            }
            try {
                refresher.refresh(c.provider(), c.version());
                return "refreshed";
            } catch (DomainException e) {
                return "refresh_failed";
            }
        }
        credentials.compareAndSet(c.failed(c.state(), detail, context.clock().instant()), c.version());
        return "recorded";
    }

    private Instant expiryOf(Optional<Credential> credential) {
        Instant cap = context.clock().instant().plus(MAX_TRUST);
        Instant expires = credential.map(Credential::expiresAt).orElse(null);
        return expires == null || expires.isAfter(cap) ? cap : expires;
    }

    /** The username hosts expect alongside a token; an explicit --username always wins. */
    static String usernameFor(Provider provider) {
        if (provider.username() != null) return provider.username();
        String host = provider.host().toLowerCase(Locale.ROOT);
        if (provider.kind() == ProviderKind.GITHUB || host.contains("github")) return "x-access-token";
        if (host.contains("gitlab")) return "oauth2";
        if (host.contains("bitbucket")) return "x-token-auth";
        return "x-access-token";
    }

    /** For audit and timeline rows: what the workspace asked for, quoted safely (it is the workspace's text). */
    private static String describe(VendRequest request) {
        return "host=" + Printable.of(request.host())
                + (request.path() == null ? "" : " path=" + Printable.of(request.path()))
                + (request.provider() == null ? "" : " provider=" + Printable.of(request.provider()));
    }
}
