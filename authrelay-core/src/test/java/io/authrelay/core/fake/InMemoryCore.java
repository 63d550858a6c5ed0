package io.authrelay.core.fake;

import static io.authrelay.core.fake.ScriptedDeviceFlowClient.tokenSet;

import io.authrelay.core.clilogin.CliDriver;
import io.authrelay.core.clilogin.CliLoginService;
import io.authrelay.core.clilogin.CredentialCapture;
import io.authrelay.core.clilogin.Delivery;
import io.authrelay.core.clilogin.FileTemplate;
import io.authrelay.core.clilogin.LoginMode;
import io.authrelay.core.clilogin.RefreshSpec;
import io.authrelay.core.credential.ConnectionWriter;
import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialRefresher;
import io.authrelay.core.credential.RefreshPolicy;
import io.authrelay.core.login.LoginPoller;
import io.authrelay.core.login.LoginService;
import io.authrelay.core.login.PollPolicy;
import io.authrelay.core.oauth.Identity;
import io.authrelay.core.oauth.OAuthSettings;
import io.authrelay.core.provider.CliSettings;
import io.authrelay.core.provider.CliTypes;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.SecretStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The core over in-memory fakes of every port, with one device-flow provider, {@link #PROVIDER}. Services
 * built from one instance share its stores as replicas share a database: each {@link #refresher()} is
 * another replica's.
 */
public final class InMemoryCore {
    public static final String PROVIDER = "gh";
    /** An AI-CLI provider, run by {@link RecordingRunPort} with {@link #CLI_DRIVER}. */
    public static final String CLI_PROVIDER = "claude";

    public final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    public final InMemoryCredentials credentials = new InMemoryCredentials();
    public final InMemorySessions sessions = new InMemorySessions();
    public final InMemoryTimeline timeline = new InMemoryTimeline();
    public final InMemoryAuditLog audit = new InMemoryAuditLog();
    public final SecretStore secrets = new SecretStore(new PlaintextVault(), new InMemorySealedSecrets());
    public final ScriptedDeviceFlowClient client = new ScriptedDeviceFlowClient();
    public final RecordingScheduler scheduler = new RecordingScheduler();
    public final RecordingObserver observer = new RecordingObserver();
    public final ConnectionWriter writer = new ConnectionWriter(credentials, secrets);
    public final ServiceContext context;
    public final RecordingRunPort runs = new RecordingRunPort();
    /** Which replica runs each CLI login; this core is replica-a. */
    public final InMemoryRunOwners runOwners = new InMemoryRunOwners();

    private final InMemoryProviders providerRepository = new InMemoryProviders();

    public InMemoryCore() {
        var tx = new SerialTransactions();
        // No endpoint resolver: the provider is stored directly, never resolved from a spec.
        var providers = new ProviderService(providerRepository, null, CliTypes.none(), audit, tx, clock);
        context = new ServiceContext(providers, secrets, timeline, audit, tx, clock);
        var oauth = new OAuthSettings(
                "client-id",
                "repo",
                null,
                URI.create("https://provider.test/device/code"),
                URI.create("https://provider.test/token"),
                null,
                null);
        providerRepository.insert(
                new Provider(PROVIDER, ProviderKind.GITHUB, "github.com", null, oauth, clock.instant(), null, false));
        cliProvider(false);
    }

    /** (Re)declares {@link #CLI_PROVIDER}, with relayed input from MCP allowed or not. */
    public void cliProvider(boolean mcpInput) {
        providerRepository.delete(CLI_PROVIDER);
        providerRepository.insert(new Provider(
                CLI_PROVIDER,
                ProviderKind.CLI_LOGIN,
                "api.cli.test",
                null,
                null,
                clock.instant(),
                null,
                false,
                new CliSettings(CLI_DRIVER.type(), "paste", mcpInput)));
    }

    /** A driver with a paste mode that runs a CLI, and an api-key mode that stores the key directly. */
    public static final CliDriver CLI_DRIVER = new CliDriver(
            "fake-cli",
            "api.cli.test",
            "fake-cli",
            "paste",
            Map.of(
                    "paste",
                    new LoginMode(
                            List.of("login"),
                            false,
                            LoginMode.INPUT_PASTE,
                            null,
                            null,
                            new LoginMode.OutputPatterns("(https://\\S+)", null, null, "ok", "failed.*"),
                            null,
                            Duration.ofMinutes(5),
                            null,
                            null),
                    "api-key",
                    new LoginMode(List.of(), false, LoginMode.INPUT_API_KEY, null, null, null, null, null, null, null)),
            null,
            null,
            Map.of(
                    CliDriver.OAUTH,
                    new CredentialCapture(".fake/creds.json", "/access", "/refresh", null, null, null, null)),
            new RefreshSpec("https://token.cli.test/token", "client", null, RefreshSpec.JSON, null, null),
            Map.of(
                    CliDriver.OAUTH,
                    new Delivery(
                            Map.of("FAKE_TOKEN", "{{access_token}}"),
                            List.of(new FileTemplate(
                                    ".fake/creds.json",
                                    "{\"access\":\"{{access_token}}\",\"account\":\"{{account}}\"}"))),
                    CliDriver.API_KEY,
                    new Delivery(Map.of("FAKE_API_KEY", "{{access_token}}"), null)),
            null);

    public CliLoginService cliLogins() {
        return new CliLoginService(
                context,
                sessions,
                credentials,
                writer,
                refresher(),
                type -> Optional.of(CLI_DRIVER),
                runs,
                runOwners.of("replica-a"));
    }

    public CredentialRefresher refresher() {
        return new CredentialRefresher(
                context, credentials, writer, client::refresh, scheduler, observer, RefreshPolicy.defaults());
    }

    public LoginService logins() {
        return new LoginService(context, sessions, credentials, client, scheduler);
    }

    public LoginPoller poller(PollPolicy policy) {
        return new LoginPoller(context, sessions, writer, client, refresher(), observer, policy);
    }

    /** Stores a new connection, as a finished login does. */
    public void connect(String access, String refresh, Duration lifetime) {
        Instant now = clock.instant();
        context.tx()
                .inTransaction(() -> writer.connect(
                        PROVIDER,
                        tokenSet(access, refresh, now.plus(lifetime)),
                        new Identity(ScriptedDeviceFlowClient.ACCOUNT, "repo"),
                        now));
    }

    /** Another replica's successful refresh, saved with the same compare-and-swap a refresher uses. */
    public void refreshElsewhere(String access, String refresh) {
        Credential current = credential();
        Instant now = clock.instant();
        context.tx()
                .inTransaction(
                        () -> writer.refreshed(current, tokenSet(access, refresh, now.plus(Duration.ofHours(1))), now));
    }

    public Credential credential() {
        return credentials.find(PROVIDER).orElseThrow();
    }

    public String stored(SecretRef ref) {
        return secrets.get(ref).map(Secret::value).orElse(null);
    }
}
