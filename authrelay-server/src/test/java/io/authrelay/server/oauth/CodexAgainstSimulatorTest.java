package io.authrelay.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.http.Json;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.RealAiCli;
import io.authrelay.sim.ApiRequest;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.MintedCredential;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import io.authrelay.sim.Vendor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The real Codex CLI against the simulator's OpenAI: device login, an access-only auth.json, and its refresh. */
class CodexAgainstSimulatorTest {
    private static final ProviderSimulator sim =
            ProviderSimulator.start(SimOptions.defaults(Flavor.OIDC).withIntervalSeconds(1));
    private static final Pattern USER_CODE = Pattern.compile("\\b([A-Z0-9]{4}-[A-Z0-9]{4})\\b");

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

    private Map<String, String> codexHome() {
        return Map.of(
                "CODEX_HOME", PrivateDirs.directory(home.resolve(".codex")).toString());
    }

    /** What the broker hands a workspace: the access token, an empty refresh token, a JWT-shaped id_token. */
    private void writeAccessOnlyAuthJson(MintedCredential c) {
        codexHome();
        PrivateDirs.file(
                home.resolve(".codex/auth.json"),
                "{\"auth_mode\":\"chatgpt\",\"OPENAI_API_KEY\":null,\"tokens\":{\"id_token\":\"e30.e30.authrelay\","
                        + "\"access_token\":\"" + c.accessToken() + "\",\"refresh_token\":\"\",\"account_id\":\""
                        + c.accountId() + "\"},\"last_refresh\":\"" + Instant.now() + "\"}");
    }

    private CliRun exec(Map<String, String> env) {
        return RealAiCli.codex().run(home, env, RealAiCli.codexExecAgainst(sim.baseUrl() + Vendor.OPENAI.prefix()));
    }

    private static List<ApiRequest> modelRequests() {
        return sim.apiRequests().stream()
                .filter(r -> r.path().equals("/openai/backend-api/codex/responses"))
                .toList();
    }

    private JsonNode authJson() throws Exception {
        return Json.MAPPER.readTree(Files.readString(home.resolve(".codex/auth.json")));
    }

    @Test
    void deviceLoginWithTheSimulatorAsIssuerEndsLoggedInWithTheSimulatorsTokens() throws Exception {
        try (RealAiCli.Running login = RealAiCli.codex()
                .start(
                        home,
                        codexHome(),
                        "login",
                        "--device-auth",
                        "--experimental_issuer",
                        sim.baseUrl() + Vendor.OPENAI.prefix())) {
            login.awaitOutput(Pattern.compile(Pattern.quote(sim.baseUrl() + "/openai/codex/device")));
            sim.approve(login.awaitOutput(USER_CODE).group(1), "alice");
            CliRun run = login.finish();
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out() + run.err()).contains("Successfully logged in");
        }
        JsonNode tokens = authJson().get("tokens");
        String credential = sim.vendorCredentialOf(tokens.get("access_token").asString());
        assertThat(credential).as("an access token the simulator issued").isNotNull();
        assertThat(tokens.get("account_id").asString()).isEqualTo("acct-" + credential);
        assertThat(tokens.get("refresh_token").asString()).isNotBlank();
    }

    @Test
    void anAccessOnlyAuthJsonIsSentAsTheBearerTokenWithTheAccountHeader() {
        MintedCredential c = sim.mintVendorCredential(Vendor.OPENAI, "alice", true, 3600);
        writeAccessOnlyAuthJson(c);
        CliRun run = exec(codexHome());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("hello from the provider simulator");
        assertThat(modelRequests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.authorization()).isEqualTo("Bearer " + c.accessToken());
            assertThat(r.chatgptAccountId()).isEqualTo(c.accountId());
        });
        assertThat(sim.vendorRefreshGrants(c.credentialId())).isZero();
    }

    /**
     * An expired access JWT makes Codex "refresh" at CODEX_REFRESH_TOKEN_URL_OVERRIDE with an empty refresh token, and
     * it then uses (and saves) the access token the answer carries: how the broker keeps a workspace's Codex fresh.
     */
    @Test
    void anExpiredAccessTokenIsRefreshedThroughTheOverrideWithAnEmptyRefreshToken() throws Exception {
        MintedCredential c = sim.mintVendorCredential(Vendor.OPENAI, "alice", true, -60);
        writeAccessOnlyAuthJson(c);
        String relay = sim.baseUrl() + "/sim/vendor-credentials/" + c.credentialId() + "/access-only-refresh";
        CliRun run = exec(RealAiCli.with(codexHome(), "CODEX_REFRESH_TOKEN_URL_OVERRIDE", relay));
        assertThat(run.exit()).as(run.toString()).isZero();

        ApiRequest refresh = sim.apiRequests().getFirst();
        assertThat(refresh.path()).isEqualTo("/sim/vendor-credentials/" + c.credentialId() + "/access-only-refresh");
        assertThat(refresh.authorization())
                .as("Codex sends no credential with it")
                .isNull();
        assertThat(refresh.params())
                .isEqualTo(Map.of(
                        "client_id", Vendor.OPENAI.clientId(),
                        "grant_type", "refresh_token",
                        "refresh_reason", "proactive_expiry",
                        "refresh_token", ""));
        assertThat(sim.vendorRefreshGrants(c.credentialId())).isEqualTo(1);
        String fresh = modelRequests().getFirst().authorization().substring("Bearer ".length());
        assertThat(fresh).isNotEqualTo(c.accessToken());
        assertThat(sim.vendorCredentialOf(fresh)).isEqualTo(c.credentialId());
        JsonNode tokens = authJson().get("tokens");
        assertThat(tokens.get("access_token").asString()).isEqualTo(fresh);
        assertThat(tokens.get("refresh_token").asString()).isEmpty();
    }

    /**
     * Codex holding a real refresh token (what the broker avoids) refreshes it at the simulator's OpenAI token
     * endpoint in OpenAI's JSON format, and keeps the rotated one: the simulator speaks the wire format Codex speaks.
     * Here the built-in provider goes through {@code openai_base_url}: {@code POST /v1/responses}.
     */
    @Test
    void codexsOwnRefreshSpeaksTheSimulatorsOpenAiWireFormat() throws Exception {
        MintedCredential c = sim.mintVendorCredential(Vendor.OPENAI, "alice", true, -60);
        String api = sim.baseUrl() + Vendor.OPENAI.prefix();
        PrivateDirs.file(
                PrivateDirs.directory(home.resolve(".codex")).resolve("auth.json"),
                "{\"auth_mode\":\"chatgpt\",\"OPENAI_API_KEY\":null,\"tokens\":{\"id_token\":\"" + c.idToken()
                        + "\",\"access_token\":\"" + c.accessToken() + "\",\"refresh_token\":\"" + c.refreshToken()
                        + "\",\"account_id\":\"" + c.accountId() + "\"},\"last_refresh\":\"" + Instant.now() + "\"}");
        CliRun run = RealAiCli.codex()
                .run(
                        home,
                        RealAiCli.with(
                                codexHome(),
                                "CODEX_REFRESH_TOKEN_URL_OVERRIDE",
                                sim.baseUrl() + Vendor.OPENAI.tokenPath()),
                        "exec",
                        "--skip-git-repo-check",
                        "-c",
                        "openai_base_url=\"" + api + "/v1\"",
                        "-c",
                        "chatgpt_base_url=\"" + api + "/backend-api/\"",
                        "hi");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("hello from the provider simulator");
        assertThat(sim.vendorRefreshGrants(c.credentialId())).isEqualTo(1);
        JsonNode tokens = authJson().get("tokens");
        assertThat(tokens.get("refresh_token").asString()).isNotEqualTo(c.refreshToken());
        String fresh = tokens.get("access_token").asString();
        assertThat(sim.vendorCredentialOf(fresh)).isEqualTo(c.credentialId());
        assertThat(sim.apiRequests())
                .filteredOn(r -> r.path().equals("/openai/v1/responses"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + fresh));
    }
}
