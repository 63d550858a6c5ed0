package io.authrelay.core.fake;

import static io.authrelay.core.fake.ScriptedDeviceFlowClient.tokenSet;

import io.authrelay.core.credential.ConnectionWriter;
import io.authrelay.core.credential.Credential;
import io.authrelay.core.credential.CredentialRefresher;
import io.authrelay.core.credential.RefreshPolicy;
import io.authrelay.core.login.LoginPoller;
import io.authrelay.core.login.LoginService;
import io.authrelay.core.login.PollPolicy;
import io.authrelay.core.oauth.Identity;
import io.authrelay.core.oauth.OAuthSettings;
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

/**
 * The core over in-memory fakes of every port, with one device-flow provider, {@link #PROVIDER}. Services
 * built from one instance share its stores as replicas share a database: each {@link #refresher()} is
 * another replica's.
 */
public final class InMemoryCore {
    public static final String PROVIDER = "gh";

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

    public InMemoryCore() {
        var providerRepository = new InMemoryProviders();
        var tx = new SerialTransactions();
        // No endpoint resolver: the provider is stored directly, never resolved from a spec.
        var providers = new ProviderService(providerRepository, null, audit, tx, clock);
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
                new Provider(PROVIDER, ProviderKind.GITHUB, "github.com", null, oauth, clock.instant()));
    }

    public CredentialRefresher refresher() {
        return new CredentialRefresher(
                context, credentials, writer, client, scheduler, observer, RefreshPolicy.defaults());
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
