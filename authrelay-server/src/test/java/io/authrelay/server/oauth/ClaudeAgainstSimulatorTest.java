package io.authrelay.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.RealAiCli;
import io.authrelay.sim.ApiRequest;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.MintedCredential;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import io.authrelay.sim.Vendor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Claude Code against the simulator's Anthropic API, with an access-only credential. */
class ClaudeAgainstSimulatorTest {
    private static final ProviderSimulator sim = ProviderSimulator.start(SimOptions.defaults(Flavor.OIDC));

    @TempDir
    Path home;

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.reset();
    }

    private CliRun prompt(Map<String, String> env) {
        return RealAiCli.claude()
                .run(
                        home,
                        RealAiCli.with(env, "ANTHROPIC_BASE_URL", sim.baseUrl() + Vendor.ANTHROPIC.prefix()),
                        "-p",
                        "hi");
    }

    private static void assertEveryRequestCarried(String token) {
        assertThat(sim.apiRequests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/anthropic/v1/messages?beta=true");
            assertThat(r.authorization()).isEqualTo("Bearer " + token);
            assertThat(r.apiKey()).isNull();
        });
    }

    private void writeAccessOnlyCredentials(String accessToken, Instant expiresAt) {
        PrivateDirs.directory(home.resolve(".claude"));
        PrivateDirs.file(
                home.resolve(".claude/.credentials.json"),
                "{\"claudeAiOauth\":{\"accessToken\":\"" + accessToken + "\",\"expiresAt\":" + expiresAt.toEpochMilli()
                        + ",\"scopes\":[\"user:inference\",\"user:profile\"],\"subscriptionType\":\"pro\"}}");
    }

    @Test
    void theOAuthTokenFromTheEnvironmentIsTheBearerToken() {
        MintedCredential c = sim.mintVendorCredential(Vendor.ANTHROPIC, "alice", true, 3600);
        CliRun run = prompt(Map.of("CLAUDE_CODE_OAUTH_TOKEN", c.accessToken()));
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("hello from the provider simulator");
        assertEveryRequestCarried(c.accessToken());
    }

    @Test
    void anAccessOnlyCredentialsFileIsTheBearerToken() {
        MintedCredential c = sim.mintVendorCredential(Vendor.ANTHROPIC, "alice", true, 3600);
        writeAccessOnlyCredentials(c.accessToken(), Instant.now().plusSeconds(3600));
        CliRun run = prompt(Map.of());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertEveryRequestCarried(c.accessToken());
    }

    /**
     * Past its expiresAt and without a refresh token, Claude Code sends the token as it is (its refresh endpoint
     * cannot be pointed elsewhere: CLAUDE_CODE_CUSTOM_OAUTH_URL takes approved endpoints only). So the broker must
     * rewrite the file, or the environment, before the token expires.
     */
    @Test
    void anExpiredAccessOnlyCredentialsFileIsStillSentAsItIs() {
        MintedCredential c = sim.mintVendorCredential(Vendor.ANTHROPIC, "alice", true, 3600);
        writeAccessOnlyCredentials(c.accessToken(), Instant.now().minusSeconds(3600));
        CliRun run = prompt(Map.of());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertEveryRequestCarried(c.accessToken());
        assertThat(sim.apiRequests()).extracting(ApiRequest::path).doesNotContain(Vendor.ANTHROPIC.tokenPath());
    }
}
