package io.authrelay.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.DomainException;
import io.authrelay.core.clilogin.RefreshSpec;
import io.authrelay.core.oauth.ProviderResponse;
import io.authrelay.core.oauth.TokenSet;
import io.authrelay.core.vault.Secret;
import io.authrelay.server.outbound.ProviderNetwork;
import io.authrelay.sim.Faults;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.MintedCredential;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import io.authrelay.sim.Vendor;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The vendor refresh against the simulator's OpenAI, Anthropic and Google token endpoints. */
class CliTokenRefresherTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final ProviderSimulator sim = ProviderSimulator.start(SimOptions.defaults(Flavor.OIDC));
    private final CliTokenRefresher refresher =
            new CliTokenRefresher(Clock.fixed(NOW, ZoneOffset.UTC), new ProviderHttp(ProviderNetwork.direct()));

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.reset();
    }

    static RefreshSpec spec(Vendor v) {
        return new RefreshSpec(
                sim.baseUrl() + v.tokenPath(),
                v.clientId(),
                v.clientSecret(),
                v == Vendor.GOOGLE ? RefreshSpec.FORM : RefreshSpec.JSON,
                null,
                List.of());
    }

    private ProviderResponse refresh(Vendor v, String refreshToken) {
        return refresher.refresh(spec(v), new Secret(refreshToken));
    }

    private static TokenSet tokens(ProviderResponse r) {
        assertThat(r).isInstanceOf(ProviderResponse.Tokens.class);
        return ((ProviderResponse.Tokens) r).tokens();
    }

    @Test
    void jsonRefreshAtOpenAiRotatesTheRefreshTokenAndNamesTheExpiry() {
        MintedCredential c = sim.mintVendorCredential(Vendor.OPENAI, "alice", true, 3600);
        TokenSet t = tokens(refresh(Vendor.OPENAI, c.refreshToken()));
        assertThat(t.accessToken().value()).isNotEqualTo(c.accessToken());
        assertThat(t.refreshToken()).isNotNull();
        assertThat(t.refreshToken().value()).isNotEqualTo(c.refreshToken());
        assertThat(t.expiresAt()).isEqualTo(NOW.plusSeconds(Vendor.OPENAI.accessTokenLifetimeSeconds()));
        assertThat(t.idTokenSubject()).isEqualTo("auth0|alice");
        assertThat(sim.vendorRefreshGrants(c.credentialId())).isEqualTo(1);
        assertThat(sim.apiRequests().getLast().params())
                .containsEntry("client_id", Vendor.OPENAI.clientId())
                .containsEntry("grant_type", "refresh_token");
    }

    @Test
    void formRefreshAtGoogleSendsTheInstalledAppSecretAndKeepsTheRefreshToken() {
        MintedCredential c = sim.mintVendorCredential(Vendor.GOOGLE, "alice", false, 3599);
        TokenSet t = tokens(refresh(Vendor.GOOGLE, c.refreshToken()));
        assertThat(t.refreshToken())
                .as("not rotated: the caller keeps the old one")
                .isNull();
        assertThat(t.expiresAt()).isEqualTo(NOW.plusSeconds(3599));
        tokens(refresh(Vendor.GOOGLE, c.refreshToken()));
        assertThat(sim.vendorRefreshGrants(c.credentialId())).isEqualTo(2);
    }

    @Test
    void aNonRotatingAnthropicCredentialAnswersWithoutARefreshToken() {
        MintedCredential c = sim.mintVendorCredential(Vendor.ANTHROPIC, "alice", false, 60);
        assertThat(tokens(refresh(Vendor.ANTHROPIC, c.refreshToken())).refreshToken())
                .isNull();
        assertThat(tokens(refresh(Vendor.ANTHROPIC, c.refreshToken())).refreshToken())
                .isNull();
    }

    @Test
    void aReusedRefreshTokenIsTheVendorsOAuthError() {
        MintedCredential openai = sim.mintVendorCredential(Vendor.OPENAI, "alice", true, 3600);
        tokens(refresh(Vendor.OPENAI, openai.refreshToken()));
        assertThat(refresh(Vendor.OPENAI, openai.refreshToken()))
                .isInstanceOfSatisfying(ProviderResponse.OAuthError.class, e -> {
                    assertThat(e.code()).isEqualTo("refresh_token_reused");
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.description()).isNotBlank();
                });
        MintedCredential anthropic = sim.mintVendorCredential(Vendor.ANTHROPIC, "alice", true, 3600);
        tokens(refresh(Vendor.ANTHROPIC, anthropic.refreshToken()));
        assertThat(refresh(Vendor.ANTHROPIC, anthropic.refreshToken()))
                .isInstanceOfSatisfying(
                        ProviderResponse.OAuthError.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_grant"));
    }

    @Test
    void serverErrorsAndGarbageAreTransientAndNameNoSecret() {
        MintedCredential c = sim.mintVendorCredential(Vendor.OPENAI, "alice", true, 3600);
        sim.setFaults(Faults.none().withErrorRate(1.0));
        ProviderResponse error = refresh(Vendor.OPENAI, c.refreshToken());
        assertThat(error).isInstanceOf(ProviderResponse.Transient.class);
        sim.setFaults(Faults.none().withGarbageRate(1.0));
        ProviderResponse garbage = refresh(Vendor.OPENAI, c.refreshToken());
        assertThat(garbage)
                .isInstanceOfSatisfying(
                        ProviderResponse.Transient.class,
                        t -> assertThat(t.reason()).isEqualTo("the response is not JSON (HTTP 200)"));
        sim.setFaults(Faults.none());
        assertThat(List.of(error.toString(), garbage.toString()))
                .allSatisfy(s -> assertThat(s).doesNotContain(c.refreshToken(), c.accessToken()));
        // the faults answered before the grant: the refresh token still works
        tokens(refresh(Vendor.OPENAI, c.refreshToken()));
    }

    @Test
    void aVendorThatCannotBeReachedIsTransient() {
        ProviderSimulator gone = ProviderSimulator.start(SimOptions.defaults(Flavor.OIDC));
        String url = gone.baseUrl() + Vendor.OPENAI.tokenPath();
        gone.close();
        ProviderResponse r = refresher.refresh(
                new RefreshSpec(url, Vendor.OPENAI.clientId(), null, RefreshSpec.JSON, null, List.of()),
                new Secret("some-refresh-token"));
        assertThat(r)
                .isInstanceOfSatisfying(
                        ProviderResponse.Transient.class,
                        t -> assertThat(t.reason()).isEqualTo("connection refused"));
    }

    @Test
    void plainHttpOffThisMachineIsRefusedBeforeAnythingIsSent() {
        RefreshSpec offMachine = new RefreshSpec(
                "http://auth.example.com/oauth/token", "client", null, RefreshSpec.JSON, null, List.of());
        assertThatThrownBy(() -> refresher.refresh(offMachine, new Secret("never-sent-token")))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("insecure_url"))
                .message()
                .doesNotContain("never-sent-token");
    }
}
