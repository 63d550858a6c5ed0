package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.http.Json;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** `authrelay login`, `status`, `diagnose` and `token` as a user runs them, against a daemon process and the simulator. */
class LoginCliTest {
    @TempDir
    Path tmp;

    private Process daemon;
    private ProviderSimulator sim;

    @AfterEach
    void cleanUp() {
        if (daemon != null) daemon.destroyForcibly();
        if (sim != null) sim.close();
    }

    @Test
    void loginFollowsToConnectedOrExitsNonZeroWithTheReason() throws Exception {
        sim = ProviderSimulator.start(new SimOptions("127.0.0.1", 0, Flavor.GITHUB, 1, 120, 0));
        Path home = tmp.resolve("home");
        int port = DaemonProcess.freePort();
        daemon = DaemonProcess.start(home, port, tmp.resolve("daemon.log"));
        Map<String, String> env =
                Map.of("AUTHRELAY_URL", "http://127.0.0.1:" + port, "AUTHRELAY_HOME", home.toString());
        assertThat(CliProcess.run(
                                env,
                                null,
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

        CliProcess.Result started = CliProcess.run(env, null, "login", "gh", "--no-wait", "--json");
        assertThat(started.exit()).as(started.err()).isZero();
        JsonNode login = Json.MAPPER.readTree(started.out());
        for (String field : new String[] {
            "session", "provider", "status", "user_code", "verification_uri", "verification_uri_complete", "expires_at"
        }) {
            assertThat(login.has(field)).as(field).isTrue();
        }

        Process follow = CliProcess.builder(env, "login", "gh").start();
        follow.getOutputStream().close();
        Thread.sleep(1_500);
        sim.approve(login.path("user_code").asString(), "octocat");
        assertThat(follow.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(follow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(follow.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(follow.exitValue()).as(err).isZero();
        assertThat(out).contains("already pending", login.path("user_code").asString(), "connected gh as octocat");
        assertThat(err).contains("status: ").doesNotContain("\033[");

        assertThat(CliProcess.run(env, null, "token", "gh").out()).startsWith("gho_");
        String status = CliProcess.run(env, null, "status").out();
        assertThat(status).contains("gh", "connected", "octocat", "LOGIN");
        CliProcess.Result diagnosis = CliProcess.run(env, null, "diagnose", "gh");
        assertThat(diagnosis.out()).contains("connected as octocat", "what to do", "started", "account octocat");

        assertThat(CliProcess.run(env, null, "logout", "gh").exit()).isZero();
        Process denied = CliProcess.builder(env, "login", "gh").start();
        denied.getOutputStream().close();
        String code = null;
        for (int i = 0; i < 100 && code == null; i++) {
            Thread.sleep(100);
            JsonNode logins = Json.MAPPER
                    .readTree(CliProcess.run(env, null, "status", "--json").out())
                    .path("logins");
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
        int port = DaemonProcess.freePort();
        Process simProcess = CliProcess.builder(
                        Map.of(), "dev", "provider-sim", "--listen", "127.0.0.1:" + port, "--flavor", "oidc")
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
