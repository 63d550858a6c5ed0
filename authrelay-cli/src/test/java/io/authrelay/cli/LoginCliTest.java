package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.http.Json;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** `authrelay login`, `status`, `diagnose` and `token` as a user runs them, against a daemon process and the simulator. */
class LoginCliTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process()
            .withSimulator(
                    SimOptions.defaults(Flavor.GITHUB).withIntervalSeconds(1).withCodeLifetimeSeconds(120));

    @Test
    void loginFollowsToConnectedOrExitsNonZeroWithTheReason() throws Exception {
        ProviderSimulator sim = broker.sim();
        Map<String, String> env = broker.cliEnv();
        assertThat(broker.cli(
                                "provider",
                                "add",
                                "gh",
                                "--type",
                                "github",
                                "--client-id",
                                "cid",
                                "--base-url",
                                sim.baseUrl())
                        .exit())
                .isZero();

        CliRun started = broker.cli("login", "gh", "--no-wait", "--json");
        assertThat(started.exit()).as(started.err()).isZero();
        JsonNode login = Json.MAPPER.readTree(started.out());
        for (String field : new String[] {
            "session", "provider", "status", "user_code", "verification_uri", "verification_uri_complete", "expires_at"
        }) {
            assertThat(login.has(field)).as(field).isTrue();
        }

        Process follow = Cli.builder(env, List.of("login", "gh")).start();
        follow.getOutputStream().close();
        TestBroker.pause(1_500);
        sim.approve(login.path("user_code").asString(), "octocat");
        assertThat(follow.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(follow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(follow.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(follow.exitValue()).as(err).isZero();
        assertThat(out).contains("already pending", login.path("user_code").asString(), "connected gh as octocat");
        assertThat(err).contains("status: ").doesNotContain("\033[");

        assertThat(broker.cli("token", "gh").out()).startsWith("gho_");
        String status = broker.cli("status").out();
        assertThat(status).contains("gh", "connected", "octocat", "LOGIN");
        CliRun diagnosis = broker.cli("diagnose", "gh");
        assertThat(diagnosis.out()).contains("connected as octocat", "what to do", "started", "account octocat");

        assertThat(broker.cli("logout", "gh").exit()).isZero();
        Process denied = Cli.builder(env, List.of("login", "gh")).start();
        denied.getOutputStream().close();
        String code = null;
        for (int i = 0; i < 100 && code == null; i++) {
            TestBroker.pause(100);
            JsonNode logins =
                    Json.MAPPER.readTree(broker.cli("status", "--json").out()).path("logins");
            for (JsonNode l : logins)
                if (l.path("status").asString().equals("awaiting_user")
                        || l.path("status").asString().equals("pending"))
                    code = l.path("user_code").asString();
        }
        sim.deny(code);
        assertThat(denied.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(denied.exitValue()).isEqualTo(ExitCodes.FAILED);
        assertThat(new String(denied.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("login denied", "authrelay diagnose");
    }

    @Test
    void theSimulatorRunsFromTheCli() throws Exception {
        int port = TestBroker.freePort();
        Process simProcess = Cli.builder(
                        Map.of(), List.of("dev", "provider-sim", "--listen", "127.0.0.1:" + port, "--flavor", "oidc"))
                .start();
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/.well-known/openid-configuration"))
                    .build();
            JsonNode discovery = null;
            for (int i = 0; i < 100 && discovery == null; i++) {
                try {
                    discovery =
                            Json.MAPPER.readTree(http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
                                    .body());
                } catch (java.io.IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertThat(discovery).isNotNull();
            assertThat(discovery.path("device_authorization_endpoint").asString())
                    .endsWith("/oauth/device_authorization");
        } finally {
            simProcess.toHandle().destroy();
            assertThat(simProcess.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(simProcess.exitValue()).isZero();
        assertThat(new String(simProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("provider simulator (oidc)", "--issuer");
    }
}
