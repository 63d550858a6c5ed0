package io.authrelay.core.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.audit.Actor;
import io.authrelay.core.fake.InMemoryAuditLog;
import io.authrelay.core.fake.InMemoryCredentials;
import io.authrelay.core.fake.InMemoryProviders;
import io.authrelay.core.fake.InMemorySealedSecrets;
import io.authrelay.core.fake.InMemoryTimeline;
import io.authrelay.core.fake.MutableClock;
import io.authrelay.core.fake.PlaintextVault;
import io.authrelay.core.fake.SerialTransactions;
import io.authrelay.core.oauth.OAuthSettings;
import io.authrelay.core.oauth.ProviderUnavailableException;
import io.authrelay.core.provider.CliTypes;
import io.authrelay.core.provider.OAuthEndpointResolver;
import io.authrelay.core.provider.Provider;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.provider.ProviderService;
import io.authrelay.core.provider.ProviderSpec;
import io.authrelay.core.service.ServiceContext;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.SecretStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which declarations keep a provider's credential and which drop it, against in-memory ports. */
class ProviderDeclarationTest {
    private static final Actor FILE = new Actor("providers.yaml", "local");
    private static final String NAME = "sso";

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final InMemoryProviders providers = new InMemoryProviders();
    private final InMemoryCredentials credentials = new InMemoryCredentials();
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final SecretStore secrets = new SecretStore(new PlaintextVault(), new InMemorySealedSecrets());
    private final Discovery discovery = new Discovery();
    private final ProviderDeclaration declaration;

    ProviderDeclarationTest() {
        var tx = new SerialTransactions();
        var service = new ProviderService(providers, discovery, CliTypes.none(), audit, tx, clock);
        var context = new ServiceContext(service, secrets, new InMemoryTimeline(), audit, tx, clock);
        declaration = new ProviderDeclaration(context, providers, new ConnectionWriter(credentials, secrets));
    }

    /** Endpoints derived from the issuer, as discovery would find them; or unreachable while {@code down}. */
    private static final class Discovery implements OAuthEndpointResolver {
        boolean down;

        @Override
        public OAuthSettings resolve(ProviderKind kind, ProviderSpec spec) {
            if (down) throw new ProviderUnavailableException(spec.name(), "connection refused");
            String base = kind == ProviderKind.GITHUB ? spec.baseUrl() : spec.issuer();
            return new OAuthSettings(
                    spec.clientId(),
                    spec.scopes(),
                    URI.create(base),
                    URI.create(base + "/device"),
                    URI.create(spec.tokenEndpoint() == null ? base + "/token" : spec.tokenEndpoint()),
                    null,
                    null);
        }

        @Override
        public String defaultHost(ProviderKind kind, ProviderSpec spec, OAuthSettings settings) {
            return settings.issuer().getHost();
        }
    }

    private static ProviderSpec oidc(String clientId, String issuer, String scopes) {
        return new ProviderSpec(NAME, "oidc-device", null, null, clientId, null, issuer, scopes, null, null, false);
    }

    private List<DeclarationOutcome> declare(ProviderSpec spec) {
        return declaration.apply(List.of(declaration.resolve(spec)), FILE);
    }

    private void connect() {
        Instant now = clock.instant();
        credentials.upsert(Credential.fresh(NAME, "octocat", "openid", now.plus(Duration.ofHours(1)), true, now));
        secrets.put(SecretRef.credentialAccess(NAME), new Secret("access-value"));
        secrets.put(SecretRef.credentialRefresh(NAME), new Secret("refresh-value"));
    }

    private boolean connected() {
        return credentials.find(NAME).isPresent()
                || secrets.get(SecretRef.credentialAccess(NAME)).isPresent()
                || secrets.get(SecretRef.credentialRefresh(NAME)).isPresent();
    }

    @Test
    void aNewScopeOrHostOrUsernameOrEndpointOrAllowHttpUpdatesInPlaceAndKeepsTheCredential() {
        declare(oidc("cli", "https://sso.test", "openid"));
        Instant created = providers.find(NAME).orElseThrow().createdAt();
        connect();
        clock.advance(Duration.ofDays(1));

        var outcome = declare(new ProviderSpec(
                        NAME,
                        "oidc-device",
                        "git.sso.test",
                        "bot",
                        "cli",
                        null,
                        "https://sso.test",
                        "openid email",
                        null,
                        "https://sso.test/v2/token",
                        true))
                .getFirst();

        assertThat(outcome).isInstanceOfSatisfying(DeclarationOutcome.Updated.class, updated -> {
            assertThat(updated.identityChanges()).isEmpty();
            assertThat(updated.credentialDropped()).isFalse();
        });
        Provider stored = providers.find(NAME).orElseThrow();
        assertThat(stored.createdAt()).isEqualTo(created);
        assertThat(stored.host()).isEqualTo("git.sso.test");
        assertThat(stored.allowHttp()).isTrue();
        assertThat(stored.oauth().tokenEndpoint()).hasToString("https://sso.test/v2/token");
        assertThat(connected()).isTrue();
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource({
        "other-client, https://sso.test, client_id",
        "cli, https://other-sso.test, issuer",
    })
    void aNewClientIdOrIssuerDropsTheCredentialWithItsSealedTokens(String clientId, String issuer, String field) {
        declare(oidc("cli", "https://sso.test", "openid"));
        connect();

        var outcome = declare(oidc(clientId, issuer, "openid")).getFirst();

        assertThat(outcome).isInstanceOfSatisfying(DeclarationOutcome.Updated.class, updated -> {
            assertThat(updated.identityChanges()).containsExactly(field);
            assertThat(updated.credentialDropped()).isTrue();
        });
        assertThat(connected()).isFalse();
        assertThat(audit.actions()).containsSubsequence("provider.declare", "credential.delete");
    }

    @Test
    void aNewTypeOrBaseUrlDropsTheCredential() {
        var github =
                new ProviderSpec(NAME, "github", null, null, "cli", "https://ghe.test", null, null, null, null, false);
        declare(github);
        connect();
        var moved =
                new ProviderSpec(NAME, "github", null, null, "cli", "https://ghe2.test", null, null, null, null, false);
        assertThat(((DeclarationOutcome.Updated) declare(moved).getFirst()).identityChanges())
                .containsExactly("base_url");
        assertThat(connected()).isFalse();

        connect();
        var asStatic = new ProviderSpec(NAME, "static", "ghe2.test", null, null, null, null, null, null, null, false);
        assertThat(((DeclarationOutcome.Updated) declare(asStatic).getFirst()).identityChanges())
                .containsExactly("type", "client_id", "base_url");
        assertThat(connected()).isFalse();
    }

    @Test
    void theSameDeclarationChangesNothing() {
        declare(oidc("cli", "https://sso.test", "openid"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(declare(oidc("cli", "https://sso.test", "openid")).getFirst())
                .isInstanceOf(DeclarationOutcome.Unchanged.class);
        assertThat(audit.actions()).containsExactly("provider.declare");
    }

    @Test
    void anUnreachableIssuerDegradesTheStoredProviderUntilADeclarationSucceeds() {
        declare(oidc("cli", "https://sso.test", "openid"));
        Provider before = providers.find(NAME).orElseThrow();
        connect();
        discovery.down = true;
        Instant firstFailure = clock.instant();

        declare(oidc("cli", "https://sso.test", "openid email"));
        clock.advance(Duration.ofHours(1));
        var outcome = declare(oidc("cli", "https://sso.test", "openid email")).getFirst();

        assertThat(outcome).isInstanceOf(DeclarationOutcome.Degraded.class);
        Provider degraded = providers.find(NAME).orElseThrow();
        assertThat(degraded.oauth()).as("the last known endpoints and scopes").isEqualTo(before.oauth());
        assertThat(degraded.degradation().reason()).contains("connection refused");
        assertThat(degraded.degradation().since()).isEqualTo(firstFailure);
        assertThat(connected()).isTrue();

        discovery.down = false;
        declare(oidc("cli", "https://sso.test", "openid email"));
        assertThat(providers.find(NAME).orElseThrow().isDegraded()).isFalse();
        assertThat(connected()).isTrue();
    }

    @Test
    void aFirstDeclarationWhoseIssuerIsUnreachableIsSkipped() {
        discovery.down = true;
        assertThat(declare(oidc("cli", "https://sso.test", "openid")).getFirst())
                .isInstanceOfSatisfying(
                        DeclarationOutcome.Skipped.class,
                        skipped -> assertThat(skipped.reason()).contains("connection refused"));
        assertThat(providers.find(NAME)).isEmpty();
    }
}
