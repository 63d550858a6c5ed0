package io.authrelay.core.provider;

import io.authrelay.core.DomainException;
import io.authrelay.core.Names;
import io.authrelay.core.Transactions;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.oauth.OAuthSettings;
import java.time.Clock;
import java.util.List;

/**
 * Adding, reading and listing providers. Redeclaring one may drop its credential, so that lives a layer up in
 * {@code credential.ProviderDeclaration}; removing one takes its grants and logins too, in {@code removal}.
 */
public final class ProviderService {
    private final ProviderRepository providers;
    private final OAuthEndpointResolver endpoints;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public ProviderService(
            ProviderRepository providers,
            OAuthEndpointResolver endpoints,
            AuditLog audit,
            Transactions tx,
            Clock clock) {
        this.providers = providers;
        this.endpoints = endpoints;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Provider add(ProviderSpec spec, Actor actor) {
        Provider provider = configure(spec);
        return tx.inTransaction(() -> {
            if (!providers.insert(provider)) {
                throw DomainException.conflict(
                        "provider_exists",
                        "provider '" + spec.name() + "' already exists",
                        "remove it first with: authrelay provider remove " + spec.name());
            }
            audit.append(
                    clock.instant(),
                    actor,
                    "provider.add",
                    spec.name(),
                    AuditLog.OK,
                    "type=" + provider.kind().wireName() + " host=" + provider.host());
            return provider;
        });
    }

    /**
     * The provider a spec describes, validated, with its OAuth endpoints resolved (defaults or discovery).
     * @throws io.authrelay.core.oauth.ProviderUnavailableException when discovery cannot reach the issuer
     */
    public Provider configure(ProviderSpec spec) {
        Names.require("provider", spec.name());
        ProviderKind kind = ProviderKind.fromWire(spec.type());
        if (!kind.usesDeviceFlow()) {
            return new Provider(
                    spec.name(), kind, spec.host(), spec.username(), null, clock.instant(), null, spec.allowHttp());
        }
        OAuthSettings oauth = endpoints.resolve(kind, spec);
        String host = spec.host() != null ? spec.host() : endpoints.defaultHost(kind, spec, oauth);
        return new Provider(spec.name(), kind, host, spec.username(), oauth, clock.instant(), null, spec.allowHttp());
    }

    public List<Provider> list() {
        return providers.list();
    }

    public Provider get(String name) {
        return providers.find(name).orElseThrow(() -> notFound(name));
    }

    public static DomainException notFound(String name) {
        return DomainException.notFound(
                "provider_not_found",
                "no provider named '" + name + "'",
                "list providers with: authrelay provider list");
    }
}
