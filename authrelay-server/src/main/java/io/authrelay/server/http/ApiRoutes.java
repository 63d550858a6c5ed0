package io.authrelay.server.http;

import io.authrelay.core.apitoken.ApiTokenService;
import io.authrelay.core.audit.AuditLog;
import io.authrelay.core.clilogin.CliLoginService;
import io.authrelay.core.clilogin.DeliveryService;
import io.authrelay.core.credential.CredentialService;
import io.authrelay.core.login.Diagnoser;
import io.authrelay.core.login.LoginScheduler;
import io.authrelay.core.login.LoginService;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.removal.ProviderRemoval;
import io.authrelay.core.vault.KeyRotation;
import io.authrelay.core.workspace.VendService;
import io.authrelay.core.workspace.WorkspaceGrants;
import io.authrelay.core.workspace.WorkspaceService;
import io.authrelay.server.home.AdminTokenFile;
import io.authrelay.server.home.ProvidersFile;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Every route group of the /v1 API, in one place. */
public final class ApiRoutes {
    private final List<Consumer<RoutesConfig>> groups;

    public ApiRoutes(
            ProviderService providers,
            ProviderRemoval providerRemoval,
            ProvidersFile providersFile,
            CredentialService credentials,
            LoginService logins,
            CliLoginService cliLogins,
            Diagnoser diagnoser,
            LoginScheduler scheduler,
            WorkspaceService workspaces,
            WorkspaceGrants workspaceGrants,
            VendService vending,
            DeliveryService deliveries,
            ApiTokenService apiTokens,
            AuditLog audit,
            KeyRotation keys,
            AdminTokenFile adminToken,
            PrometheusMeterRegistry metrics,
            Clock clock,
            Supplier<List<SystemRoutes.Check>> readiness,
            Supplier<Map<String, Object>> daemonFacts,
            Runnable stop) {
        LoginRoutes loginRoutes = new LoginRoutes(logins, cliLogins, credentials, diagnoser, scheduler, clock);
        this.groups = List.of(
                new SystemRoutes(
                                readiness,
                                metrics,
                                providers,
                                credentials,
                                logins,
                                loginRoutes,
                                scheduler,
                                daemonFacts,
                                clock)::register,
                loginRoutes::register,
                new WorkspaceRoutes(workspaces, workspaceGrants)::register,
                new VendRoutes(vending, clock)::register,
                new DeliverRoutes(deliveries)::register,
                new ProviderRoutes(providers, providerRemoval, providersFile)::register,
                new CredentialRoutes(credentials)::register,
                new ApiTokenRoutes(apiTokens)::register,
                new AdminRoutes(audit, keys, adminToken, clock)::register,
                new ShutdownRoutes(stop, audit, clock)::register);
    }

    /** @param keyset false when rows are sealed under keys this daemon's keyset lacks: another replica is ahead */
    public static List<SystemRoutes.Check> readiness(boolean database, boolean vault, boolean keyset) {
        return List.of(
                new SystemRoutes.Check("database", database),
                new SystemRoutes.Check("vault", vault),
                new SystemRoutes.Check("keyset", keyset));
    }

    public List<Consumer<RoutesConfig>> groups() {
        return groups;
    }
}
