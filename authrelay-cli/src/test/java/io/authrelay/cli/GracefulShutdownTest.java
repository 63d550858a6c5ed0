package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.PrivateDirs;
import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Faults;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.SimOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM lets a request that is in flight (here: a slow on-demand refresh) finish, then exits 0 within 10 s. */
class GracefulShutdownTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process()
            .withSimulator(SimOptions.defaults(Flavor.OIDC)
                    .withIntervalSeconds(1)
                    .withCodeLifetimeSeconds(120)
                    .withTokenLifetimeSeconds(2));

    @Test
    void anInFlightRequestCompletesAfterSigterm() throws Exception {
        expect(
                201,
                broker.send(
                        "POST",
                        "/v1/providers",
                        "{\"name\":\"sso\",\"type\":\"oidc-device\",\"client_id\":\"c\",\"issuer\":\""
                                + broker.sim().issuer() + "\"}"));
        var login = expect(201, broker.send("POST", "/v1/logins", "{\"provider\":\"sso\"}"))
                .json();
        broker.sim().approve(login.path("user_code").asString(), "alice");
        assertThat(broker.awaitLoginEnd(login.path("session").asString(), Duration.ofSeconds(20))
                        .path("status")
                        .asString())
                .isEqualTo("connected");
        broker.sim().setFaults(new Faults(3_000, 0, 0, 0, 0));
        TestBroker.pause(2_200); // the 2 s token is now expired: the next read refreshes, slowly

        CompletableFuture<Reply> inFlight =
                CompletableFuture.supplyAsync(() -> broker.send("POST", "/v1/credentials/sso/token", "{}"));
        TestBroker.pause(700);
        Instant stop = Instant.now();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(broker::terminate); // SIGTERM
        Reply response = inFlight.get(15, TimeUnit.SECONDS);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"token\"");
        assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
        assertThat(Duration.between(stop, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void authrelayStopStopsTheHomesDaemonGracefully() {
        var stop = broker.cli("stop");
        assertThat(stop.exit()).as(stop.toString()).isZero();
        assertThat(stop.out()).contains("stopping the daemon");
        assertThat(broker.awaitExit(Duration.ofSeconds(15))).isZero();
        assertThat(broker.log()).contains("daemon.stop");
    }

    /**
     * A SIGTERM that arrives while the daemon is still starting (here: waiting on an issuer that accepts and never
     * answers) is kept: the daemon finishes starting, then stops gracefully with exit code 0, not the JVM's 143.
     */
    @Test
    void aSigtermDuringStartStopsTheDaemonOnceStartedWithExitZero(@TempDir Path dir) throws Exception {
        try (ServerSocket silentIssuer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path home = PrivateDirs.directory(dir.resolve("home"));
            PrivateDirs.file(
                    home.resolve("providers.yaml"),
                    "providers:\n  - name: sso\n    type: oidc-device\n    client_id: cli\n    issuer: http://127.0.0.1:"
                            + silentIssuer.getLocalPort() + "\n");
            Path log = dir.resolve("daemon.log");
            Process daemon = Cli.builder(
                            Map.of(),
                            List.of(
                                    "server",
                                    "--home=" + home,
                                    "--listen=127.0.0.1:" + TestBroker.freePort(),
                                    "--log-level=debug"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            silentIssuer.setSoTimeout(60_000);
            try (var discovery = silentIssuer.accept()) {
                // The daemon is inside its start, waiting for the issuer's discovery document that never comes.
                daemon.destroy();
                assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(daemon.exitValue()).as(Files.readString(log)).isZero();
            } finally {
                daemon.destroyForcibly();
            }
        }
    }
}
