package io.authrelay.core.provider;

import io.authrelay.core.DomainException;
import io.authrelay.core.Names;
import io.authrelay.core.Transactions;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.oauth.OAuthSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Adding, reading and listing providers. Redeclaring one may drop its credential, so that lives a layer up in
 * {@code credential.ProviderDeclaration}; removing one takes its grants and logins too, in {@code removal}.
 */
public final class ProviderService {
    private final ProviderRepository providers;
    private final OAuthEndpointResolver endpoints;
    private final CliTypes cliTypes;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;

    public ProviderService(
            ProviderRepository providers,
            OAuthEndpointResolver endpoints,
            CliTypes cliTypes,
            AuditLog audit,
            Transactions tx,
            Clock clock) {
        this.providers = providers;
        this.endpoints = endpoints;
        this.cliTypes = cliTypes;
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
        var cliType = spec.type() == null ? Optional.<CliTypes.CliType>empty() : cliTypes.cliType(spec.type());
        if (cliType.isPresent()) return cliProvider(spec, cliType.get());
        ProviderKind kind = kindOf(spec.type());
        if (spec.mode() != null || spec.mcpInput()) {
            throw DomainException.invalid(
                    "invalid_provider",
                    "--mode and --mcp-input apply to AI-CLI providers only",
                    "AI-CLI types: " + String.join(", ", cliTypeNames()));
        }
        if (!kind.usesDeviceFlow()) {
            return new Provider(
                    spec.name(),
                    kind,
                    spec.host(),
                    spec.username(),
                    null,
                    clock.instant(),
                    null,
                    spec.allowHttp(),
                    null);
        }
        OAuthSettings oauth = endpoints.resolve(kind, spec);
        String host = spec.host() != null ? spec.host() : endpoints.defaultHost(kind, spec, oauth);
        return new Provider(
                spec.name(), kind, host, spec.username(), oauth, clock.instant(), null, spec.allowHttp(), null);
    }

    private Provider cliProvider(ProviderSpec spec, CliTypes.CliType type) {
        if (spec.clientId() != null
                || spec.baseUrl() != null
                || spec.issuer() != null
                || spec.scopes() != null
                || spec.deviceEndpoint() != null
                || spec.tokenEndpoint() != null) {
            throw DomainException.invalid(
                    "invalid_provider",
                    type.name() + " providers take their endpoints from the " + type.name() + " driver",
                    "override a driver's fields in providers.yaml (driver: ...)");
        }
        String mode = spec.mode() == null ? type.defaultMode() : spec.mode();
        if (!type.modes().contains(mode)) {
            throw DomainException.invalid(
                    "unknown_login_mode",
                    type.name() + " has no login mode '" + mode + "'",
                    "modes: " + String.join(", ", new TreeSet<>(type.modes())));
        }
        String host = spec.host() != null ? spec.host() : type.host();
        return new Provider(
                spec.name(),
                ProviderKind.CLI_LOGIN,
                host,
                spec.username(),
                null,
                clock.instant(),
                null,
                spec.allowHttp(),
                new CliSettings(type.name(), mode, spec.mcpInput()));
    }

    private ProviderKind kindOf(String type) {
        if (type != null && !ProviderKind.CLI_LOGIN.wireName().equals(type)) {
            for (ProviderKind kind : ProviderKind.values()) if (kind.wireName().equals(type)) return kind;
        }
        List<String> names = new ArrayList<>();
        for (ProviderKind kind : ProviderKind.values()) if (kind != ProviderKind.CLI_LOGIN) names.add(kind.wireName());
        names.addAll(cliTypeNames());
        throw DomainException.invalid(
                "unknown_provider_type",
                "unknown provider type '" + type + "'",
                "supported types: " + String.join(", ", names));
    }

    private List<String> cliTypeNames() {
        return cliTypes.names();
    }

    public List<Provider> list() {
        return providers.list();
    }

    public Optional<Provider> find(String name) {
        return providers.find(name);
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
