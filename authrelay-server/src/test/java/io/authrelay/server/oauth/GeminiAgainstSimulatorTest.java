package io.authrelay.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.RealAiCli;
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

/** The real Gemini CLI against the simulator's Code Assist API, with an access-only credential. */
class GeminiAgainstSimulatorTest {
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
        return RealAiCli.gemini()
                .run(
                        home,
                        RealAiCli.with(
                                env,
                                "CODE_ASSIST_ENDPOINT",
                                sim.baseUrl() + Vendor.GOOGLE.prefix(),
                                "GEMINI_CLI_TRUST_WORKSPACE",
                                "true"),
                        // a model of our choosing: "auto" first asks a classifier model for JSON, which retries for
                        // minutes
                        "-m",
                        "gemini-2.5-flash",
                        "-p",
                        "hi");
    }

    @Test
    void theAccessTokenFromTheEnvironmentIsTheBearerTokenOfEveryCodeAssistCall() {
        MintedCredential c = sim.mintVendorCredential(Vendor.GOOGLE, "alice", false, 3599);
        CliRun run = prompt(Map.of("GOOGLE_GENAI_USE_GCA", "true", "GOOGLE_CLOUD_ACCESS_TOKEN", c.accessToken()));
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("hello from the provider simulator");
        assertThat(sim.apiRequests().getFirst().path()).isEqualTo("/google/v1internal:loadCodeAssist");
        assertThat(sim.apiRequests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.authorization()).isEqualTo("Bearer " + c.accessToken());
        });
    }

    /**
     * A cached oauth_creds.json is accepted only after Gemini asks Google's tokeninfo endpoint about the token (a
     * fixed URL that cannot be pointed at the simulator), and one past its expiry_date needs a refresh token. Offline,
     * an access-only file is never used: Gemini falls back to an interactive login and, without a terminal, exits 41.
     * The environment is the way to hand Gemini an access token.
     */
    @Test
    void anAccessOnlyCachedCredentialsFileIsNotUsedOffline() {
        MintedCredential c = sim.mintVendorCredential(Vendor.GOOGLE, "alice", false, 3599);
        PrivateDirs.directory(home.resolve(".gemini"));
        PrivateDirs.file(
                home.resolve(".gemini/settings.json"),
                "{\"security\":{\"auth\":{\"selectedType\":\"oauth-personal\"}}}");
        PrivateDirs.file(
                home.resolve(".gemini/oauth_creds.json"),
                "{\"access_token\":\"" + c.accessToken() + "\",\"token_type\":\"Bearer\",\"scope\":"
                        + "\"https://www.googleapis.com/auth/cloud-platform\",\"expiry_date\":"
                        + Instant.now().plusSeconds(3600).toEpochMilli() + "}");
        CliRun run = prompt(Map.of());
        assertThat(run.exit()).as(run.toString()).isEqualTo(41);
        assertThat(run.out() + run.err()).contains("Manual authorization is required");
        assertThat(sim.apiRequests()).isEmpty();
    }
}
