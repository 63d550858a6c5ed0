package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.http.Json;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.RealAiCli;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.ApiRequest;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.SimOptions;
import io.authrelay.sim.Vendor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Codex end to end, every part real but the vendor: the broker runs {@code codex login --device-auth} against the
 * simulator's issuer, seals what it wrote, and a workspace's {@code authrelay materialize} writes the access-only
 * auth.json that the real codex then uses against the simulator's API. When codex's access token has expired, codex
 * "refreshes" at the broker with its ticket and gets the broker's current token: the broker stays the only refresher.
 */
class CodexThroughBrokerTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.inProcess()
            .withSimulator(SimOptions.defaults(Flavor.OIDC).withIntervalSeconds(1))
            .withProvidersYaml(sim -> """
                    drivers:
                      codex:
                        command: %s
                        modes:
                          device:
                            args: [login, --device-auth, --experimental_issuer, '%s']
                        refresh:
                          token_endpoint: '%s'
                    providers:
                      - name: codex
                        type: codex
                    """.formatted(
                            RealAiCli.codex().executable(),
                            sim.baseUrl() + Vendor.OPENAI.prefix(),
                            sim.baseUrl() + Vendor.OPENAI.tokenPath()));

    @TempDir
    Path workspaceHome;

    @Test
    void aDeviceLoginThroughTheBrokerReachesCodexAsAnAccessOnlyFileAndCodexStaysFreshThroughTheBroker()
            throws Exception {
        String access = login();
        String vendorRefresh = vendorRefreshToken(access);
        String token = broker.createWorkspace("agent", "codex");

        CliRun materialized =
                Cli.run(workspace(token), null, "materialize", "codex", "--home", workspaceHome.toString());
        assertThat(materialized.exit()).as(materialized.toString()).isZero();
        JsonNode tokens = authJson().path("tokens");
        assertThat(tokens.path("access_token").asString()).isEqualTo(access);
        assertThat(tokens.path("refresh_token").asString()).startsWith("arx_");
        assertThat(everythingUnder(workspaceHome)).doesNotContain(vendorRefresh);

        CliRun run = codexExec(refreshUrl(token));
        assertThat(run.exit()).as(run + "\n" + authJson()).isZero();
        assertThat(modelRequests())
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + access));

        // The token expires while codex is in use: codex asks the broker, which answers with what it holds now.
        writeAccessToken(expiredJwt());
        broker.sim().clearApiRequests();
        CliRun afterExpiry = codexExec(refreshUrl(token));
        assertThat(afterExpiry.exit()).as(afterExpiry.toString()).isZero();
        assertThat(modelRequests())
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + access));
        assertThat(authJson().path("tokens").path("access_token").asString()).isEqualTo(access);
        assertThat(everythingUnder(workspaceHome)).doesNotContain(vendorRefresh);

        // A revoked workspace's ticket stops working at once.
        expect(200, broker.send("POST", "/v1/workspaces/agent/revoke", "{}"));
        var refused = broker.send(
                "POST",
                "/v1/deliver/token",
                "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + ticket() + "\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("refresh_token_invalidated");
    }

    @Test
    void aTicketNamesOneWorkspaceAndProviderAndAForgedOneIsRefused() throws Exception {
        login();
        String token = broker.createWorkspace("agent", "codex");
        assertThat(Cli.run(workspace(token), null, "materialize", "codex", "--home", workspaceHome.toString())
                        .exit())
                .isZero();
        String ticket = ticket();
        String[] parts = ticket.substring(4).split("\\.");
        String otherWorkspace = "arx_" + b64("other") + "." + parts[1] + "." + parts[2];
        String otherProvider = "arx_" + parts[0] + "." + b64("github") + "." + parts[2];
        for (String forged : List.of(otherWorkspace, otherProvider, ticket + "x", "", "arx_", "arx_..", "{}")) {
            var reply = broker.send(
                    "POST", "/v1/deliver/token", "{\"refresh_token\":" + Json.MAPPER.writeValueAsString(forged) + "}");
            assertThat(reply.status()).as(forged).isIn(400, 403);
            assertThat(reply.body()).doesNotContain("access_token");
        }
        var good = expect(200, broker.send("POST", "/v1/deliver/token", "{\"refresh_token\":\"" + ticket + "\"}"));
        assertThat(good.json().path("access_token").asString()).isNotBlank();
    }

    /** The broker's codex login, approved at the simulator as a person would; returns the access token it holds. */
    private String login() {
        JsonNode started = expect(201, broker.send("POST", "/v1/logins", "{\"provider\":\"codex\"}"))
                .json();
        String session = started.path("session").asString();
        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode prompted = started;
        while (prompted.path("user_code").isNull() && Instant.now().isBefore(deadline)) {
            TestBroker.pause(100);
            prompted = expect(200, broker.send("GET", "/v1/logins/" + session, null))
                    .json();
        }
        assertThat(prompted.path("verification_uri").asString())
                .isEqualTo(broker.sim().baseUrl() + "/openai/codex/device");
        broker.sim().approve(prompted.path("user_code").asString(), "alice");
        JsonNode ended = broker.awaitLoginEnd(session, Duration.ofSeconds(60));
        assertThat(ended.path("status").asString()).as(ended.toString()).isEqualTo("connected");
        String access = expect(200, broker.send("POST", "/v1/credentials/codex/token", "{}"))
                .json()
                .path("token")
                .asString();
        assertThat(broker.sim().vendorCredentialOf(access))
                .as("a token the simulator issued")
                .isNotNull();
        return access;
    }

    /** The vendor's refresh token the broker holds, from the simulator's side: it must appear in no workspace file. */
    private String vendorRefreshToken(String access) {
        String refresh = broker.sim().vendorRefreshToken(broker.sim().vendorCredentialOf(access));
        assertThat(refresh).isNotBlank();
        return refresh;
    }

    private Map<String, String> workspace(String token) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHRELAY_URL", broker.url());
        env.put("AUTHRELAY_TOKEN", token);
        env.put("AUTHRELAY_CONFIG", "/nonexistent/client.conf");
        return env;
    }

    private String refreshUrl(String token) {
        JsonNode delivered = expect(200, broker.send("POST", "/v1/deliver", "{\"provider\":\"codex\"}", token))
                .json();
        String url =
                delivered.path("env").path("CODEX_REFRESH_TOKEN_URL_OVERRIDE").asString();
        assertThat(url).isEqualTo(broker.url() + "/v1/deliver/token");
        return url;
    }

    private CliRun codexExec(String refreshUrl) {
        return RealAiCli.codex()
                .run(
                        workspaceHome,
                        Map.of(
                                "CODEX_HOME",
                                workspaceHome.resolve(".codex").toString(),
                                "CODEX_REFRESH_TOKEN_URL_OVERRIDE",
                                refreshUrl),
                        RealAiCli.codexExecAgainst(broker.sim().baseUrl() + Vendor.OPENAI.prefix()));
    }

    private List<ApiRequest> modelRequests() {
        return broker.sim().apiRequests().stream()
                .filter(r -> r.path().equals("/openai/backend-api/codex/responses"))
                .toList();
    }

    private JsonNode authJson() throws IOException {
        return Json.MAPPER.readTree(Files.readString(workspaceHome.resolve(".codex/auth.json")));
    }

    private String ticket() throws IOException {
        return authJson().path("tokens").path("refresh_token").asString();
    }

    private void writeAccessToken(String accessToken) throws IOException {
        ObjectNode auth = (ObjectNode) authJson();
        ((ObjectNode) auth.path("tokens")).put("access_token", accessToken);
        Files.writeString(workspaceHome.resolve(".codex/auth.json"), Json.MAPPER.writeValueAsString(auth));
    }

    private static String expiredJwt() {
        return "e30." + b64("{\"exp\":" + Instant.now().minusSeconds(60).getEpochSecond() + "}") + ".x";
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String everythingUnder(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList())
                all.append(new String(
                        Files.readAllBytes(file), StandardCharsets.ISO_8859_1)); // codex keeps binary files too
        }
        return all.toString();
    }
}
