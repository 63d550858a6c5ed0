package io.authrelay.core.clilogin;

import io.authrelay.core.DomainException;
import io.authrelay.core.audit.Actor;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialRepository;
import io.authrelay.core.net.Printable;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.workspace.Vend;
import io.authrelay.core.workspace.VendRequest;
import io.authrelay.core.workspace.VendService;
import io.authrelay.core.workspace.Workspace;
import io.authrelay.core.workspace.WorkspaceService;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a workspace an AI-CLI credential in the forms its driver gives for the real CLI: environment variables and
 * access-only files. The grant check, the refresh and the audit are the vend's; nothing here ever carries a refresh
 * token, because the templates can name only the values below.
 */
public final class DeliveryService {
    private final ServiceContext context;
    private final VendService vending;
    private final CredentialRepository credentials;
    private final CliDrivers drivers;
    private final WorkspaceService workspaces;
    private final RefreshTickets tickets;

    public DeliveryService(
            ServiceContext context,
            VendService vending,
            CredentialRepository credentials,
            CliDrivers drivers,
            WorkspaceService workspaces,
            RefreshTickets tickets) {
        this.context = context;
        this.vending = vending;
        this.credentials = credentials;
        this.drivers = drivers;
        this.workspaces = workspaces;
        this.tickets = tickets;
    }

    /**
     * A CLI's "refresh" with a ticket this broker issued (codex's refresh-URL override): the same delivery as the
     * workspace would get, so the grant check, the central refresh and the audit all apply.
     */
    public Delivered forTicket(String ticket, String origin) {
        RefreshTickets.Claim claim = tickets.parse(ticket).orElseThrow(DeliveryService::invalidTicket);
        Workspace workspace = workspaces.find(claim.workspace()).orElseThrow(DeliveryService::invalidTicket);
        Instant now = context.clock().instant();
        if (!tickets.matches(claim, workspace) || workspace.isRevoked() || workspace.isExpired(now))
            throw invalidTicket();
        return deliver(workspace, claim.provider(), null, origin);
    }

    /** @param env variable → value; @param files path relative to the CLI's home → content */
    public record Delivered(
            String provider,
            String driver,
            String credential,
            Instant expiresAt,
            Map<String, String> env,
            List<DeliveredFile> files,
            Secret accessToken) {
        /** Names only: the values are credentials. */
        @Override
        public String toString() {
            return "Delivered[" + provider + " as " + credential + ", env " + env.keySet() + ", files "
                    + files.stream().map(DeliveredFile::path).toList() + "]";
        }
    }

    public record DeliveredFile(String path, String content) {
        @Override
        public String toString() {
            return "DeliveredFile[" + path + "]";
        }
    }

    /** In the error shape codex knows from its vendor, so it stops asking rather than retrying. */
    private static DomainException invalidTicket() {
        return DomainException.forbidden(
                "refresh_token_invalidated",
                "this refresh ticket is not valid (its workspace was rotated, revoked or deleted)",
                "deliver the credential again: authrelay materialize PROVIDER --home DIR");
    }

    /**
     * What {@code exec --relay} sets for a provider's CLI in place of a delivery: the workspace's grant is checked as
     * for a delivery, but no token leaves the broker; the CLI will carry the workspace token to the relay. Audited as
     * {@code deliver.relay} (the provider and the outcome; there is no secret to leave out).
     *
     * @param origin where the request came from, for the audit row
     */
    public RelaySpec relay(Workspace workspace, String providerName, String origin) {
        Actor actor = new Actor("workspace:" + workspace.name(), origin);
        try {
            RelaySpec relay = relaySpec(workspace, providerName);
            context.audit().append(context.clock().instant(), actor, "deliver.relay", providerName, AuditLog.OK, null);
            return relay;
        } catch (DomainException e) {
            context.audit()
                    .append(
                            context.clock().instant(),
                            actor,
                            "deliver.relay",
                            Printable.of(providerName),
                            e.kind() == DomainException.Kind.FORBIDDEN ? AuditLog.DENIED : AuditLog.FAILED,
                            e.code());
            throw e;
        }
    }

    private RelaySpec relaySpec(Workspace workspace, String providerName) {
        Provider provider = cliProvider(providerName);
        vending.forRelay(workspace, new VendRequest(null, null, null, null, null, providerName));
        RelaySpec relay = drivers.find(provider.cli().driver()).orElseThrow().relay();
        if (relay == null) {
            throw DomainException.conflict(
                    "not_relayed",
                    "the " + provider.cli().driver() + " driver says nothing about relaying its API",
                    "use authrelay exec --provider " + providerName + " without --relay");
        }
        return relay;
    }

    private Provider cliProvider(String providerName) {
        Provider provider = context.providers().get(providerName);
        if (provider.kind() != ProviderKind.CLI_LOGIN) {
            throw DomainException.invalid(
                    "not_a_cli_provider",
                    "provider '" + providerName + "' is not an AI-CLI provider: it has nothing to deliver",
                    "ask for it with: authrelay exec --provider " + providerName + " -- ...");
        }
        return provider;
    }

    /** @param refreshUrl where the workspace's CLI may ask for a fresh access token, or null when it has none */
    public Delivered deliver(Workspace workspace, String providerName, String refreshUrl, String origin) {
        Provider provider = cliProvider(providerName);
        Vend vend = vending.vend(workspace, new VendRequest(null, null, null, null, null, providerName), origin);
        CliDriver driver = drivers.find(provider.cli().driver()).orElseThrow();
        Credential credential = credentials.find(providerName).orElseThrow();
        String kind = CliDriver.API_KEY_SCOPE.equals(credential.scopes()) ? CliDriver.API_KEY : CliDriver.OAUTH;
        Delivery delivery = driver.delivery().get(kind);
        if (delivery == null) {
            throw DomainException.conflict(
                    "no_delivery", "the " + driver.type() + " driver says nothing about delivering " + kind, null);
        }
        Instant now = context.clock().instant();
        Map<String, String> values = Map.of(
                "access_token", vend.password().value(),
                "expires_at_ms", Long.toString(vend.expiresAt().toEpochMilli()),
                "account", credential.account() == null ? "" : credential.account(),
                "now_rfc3339", now.truncatedTo(ChronoUnit.SECONDS).toString(),
                "refresh_url", refreshUrl == null ? "" : refreshUrl,
                "refresh_ticket", tickets.issue(workspace, providerName));
        Map<String, String> env = new LinkedHashMap<>();
        delivery.env().forEach((name, template) -> {
            String value = DeliveryTemplate.fill(template, values, false);
            if (!value.isEmpty()) env.put(name, value); // e.g. no refresh URL: unset beats empty for the CLI
        });
        List<DeliveredFile> files = new ArrayList<>();
        for (FileTemplate file : delivery.files()) {
            files.add(new DeliveredFile(
                    file.path(),
                    DeliveryTemplate.fill(file.content(), values, file.path().endsWith(".json"))));
        }
        return new Delivered(providerName, driver.type(), kind, vend.expiresAt(), env, files, vend.password());
    }
}
