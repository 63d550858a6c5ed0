package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.ExternalTool;
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
        for (int i = 0; i < 600 && code == null; i++) { // up to 60 s for the CLI to start the login
            TestBroker.pause(100);
            JsonNode logins =
                    Json.MAPPER.readTree(broker.cli("status", "--json").out()).path("logins");
            for (JsonNode l : logins)
                if (l.path("provider").asString().equals("gh")
                        && LoginFollower.isActive(l.path("status").asString()))
                    code = l.path("user_code").asString();
        }
        sim.deny(code);
        assertThat(denied.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(denied.exitValue()).isEqualTo(ExitCodes.FAILED);
        assertThat(new String(denied.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("login denied", "authrelay diagnose");
        assertThat(broker.cli("diagnose", "gh").out())
                .as("the latest login, not 'never connected'")
                .contains("denied")
                .doesNotContain("never");
    }

    /** A provider of its own for each test: the class shares one daemon. */
    private void addSimProvider(String name) {
        CliRun added = broker.cli(
                "provider",
                "add",
                name,
                "--type",
                "github",
                "--client-id",
                "cid",
                "--base-url",
                broker.sim().baseUrl());
        assertThat(added.exit()).as(added.err()).isZero();
    }

    @Test
    void aConnectedProviderIsNotLoggedInAgainWithoutForceAndKeepsItsTokenUntilTheNewLoginConnects() throws Exception {
        addSimProvider("gh-force");
        broker.loginApprovedBy(broker.sim(), "gh-force");
        String first = broker.cli("token", "gh-force").out().strip();

        CliRun refused = broker.cli("login", "gh-force"); // stdin is not a terminal: no question, a refusal
        assertThat(refused.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.err()).contains("already connected", "--force");
        assertThat(pendingLogins("gh-force")).isZero();

        CliRun forced = broker.cli("login", "gh-force", "--force", "--no-wait", "--json");
        assertThat(forced.exit()).as(forced.err()).isZero();
        JsonNode login = Json.MAPPER.readTree(forced.out());
        assertThat(broker.cli("token", "gh-force").out().strip())
                .as("the current credential serves while the new login is pending")
                .isEqualTo(first);

        broker.sim().approve(login.path("user_code").asString(), "hubot");
        assertThat(broker.awaitLoginEnd(login.path("session").asString(), java.time.Duration.ofSeconds(60))
                        .path("status")
                        .asString())
                .isEqualTo("connected");
        assertThat(broker.cli("token", "gh-force").out().strip()).isNotEqualTo(first);
        assertThat(broker.cli("status").out()).contains("hubot");
    }

    @Test
    void atATerminalLoginAsksBeforeSigningAConnectedProviderInAgain() throws Exception {
        ExternalTool.require("script");
        addSimProvider("gh-tty");
        broker.loginApprovedBy(broker.sim(), "gh-tty");

        String no = atTerminal("n\n", "login", "gh-tty");
        assertThat(no).contains("already connected as octocat", "Log in again? [y/N]", "login not started");
        assertThat(pendingLogins("gh-tty")).isZero();

        String yes = atTerminal("y\n", "login", "gh-tty", "--no-wait");
        assertThat(yes).contains("Log in again? [y/N]", "To connect gh-tty, open");
        assertThat(pendingLogins("gh-tty")).isOne();
    }

    private long pendingLogins(String provider) {
        JsonNode logins = Json.MAPPER
                .readTree(broker.cli("login", "list", "--json").out())
                .path("logins");
        return logins.valueStream()
                .filter(l -> l.path("provider").asString().equals(provider))
                .filter(l -> l.path("status").asString().equals("pending")
                        || l.path("status").asString().equals("awaiting_user"))
                .count();
    }

    /** Runs the CLI with a pseudo-terminal as its stdin, stdout and stderr (util-linux `script`), typing {@code input}. */
    private String atTerminal(String input, String... args) throws Exception {
        String command = String.join(
                " ",
                Cli.builder(broker.cliEnv(), List.of(args)).command().stream()
                        .map(a -> "'" + a.replace("'", "'\\''") + "'")
                        .toList());
        ProcessBuilder builder = new ProcessBuilder("script", "-qec", command, "/dev/null").redirectErrorStream(true);
        builder.environment().putAll(broker.cliEnv());
        Process process = builder.start();
        // Typed at once: the terminal keeps the line until the CLI reads its answer.
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theFollowerKeepsFollowingAcrossADaemonRestartSinceTheDaemonFinishesTheLogin() throws Exception {
        addSimProvider("gh-restart");
        JsonNode login = Json.MAPPER.readTree(
                broker.cli("login", "gh-restart", "--no-wait", "--json").out());
        java.nio.file.Path outFile = broker.dir().resolve("follow.out");
        java.nio.file.Path errFile = broker.dir().resolve("follow.err");
        Process follow = Cli.builder(broker.cliEnv(), List.of("login", "gh-restart"))
                .redirectOutput(outFile.toFile())
                .redirectError(errFile.toFile())
                .start();
        follow.getOutputStream().close();
        for (int i = 0; i < 600 && !java.nio.file.Files.readString(outFile).contains("following it"); i++) {
            TestBroker.pause(100); // restart only once the follower is following, not while it starts the login
        }

        broker.restart();
        broker.sim().approve(login.path("user_code").asString(), "octocat");

        assertThat(follow.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = java.nio.file.Files.readString(outFile);
        String err = java.nio.file.Files.readString(errFile);
        assertThat(follow.exitValue()).as(out + err).isZero();
        assertThat(err).contains("the daemon is not answering", "the daemon is back");
        assertThat(out).contains("connected gh-restart as octocat");
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
            for (int i = 0; i < 600 && discovery == null; i++) { // up to 60 s: a JVM starting on a busy machine
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
