package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.http.Json;
import io.authrelay.sim.Faults;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM lets a request that is in flight (here: a slow on-demand refresh) finish, then exits 0 within 10 s. */
class GracefulShutdownTest {
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
    void anInFlightRequestCompletesAfterSigterm() throws Exception {
        sim = ProviderSimulator.start(new SimOptions("127.0.0.1", 0, Flavor.OIDC, 1, 120, 2));
        Path home = tmp.resolve("home");
        int port = DaemonProcess.freePort();
        daemon = DaemonProcess.start(home, port, tmp.resolve("daemon.log"));
        String admin = Files.readString(home.resolve("admin.token")).trim();
        HttpClient http = HttpClient.newHttpClient();
        java.util.function.BiFunction<String, String, HttpRequest> post =
                (path, body) -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        http.send(
                post.apply(
                        "/v1/providers",
                        "{\"name\":\"sso\",\"type\":\"oidc-device\",\"client_id\":\"c\",\"issuer\":\"" + sim.issuer()
                                + "\"}"),
                HttpResponse.BodyHandlers.ofString());
        var login = Json.MAPPER.readTree(
                http.send(post.apply("/v1/logins", "{\"provider\":\"sso\"}"), HttpResponse.BodyHandlers.ofString())
                        .body());
        sim.approve(login.path("user_code").asString(), "alice");
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)
                && !http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/credentials"))
                                        .header("Authorization", "Bearer " + admin)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body()
                        .contains("connected")) {
            Thread.sleep(200);
        }
        sim.setFaults(new Faults(3_000, 0, 0, 0, 0));
        Thread.sleep(2_200); // the 2 s token is now expired: the next read refreshes, slowly

        CompletableFuture<HttpResponse<String>> inFlight =
                http.sendAsync(post.apply("/v1/credentials/sso/token", "{}"), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(700);
        Instant stop = Instant.now();
        daemon.toHandle().destroy(); // SIGTERM
        HttpResponse<String> response = inFlight.get(15, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"token\"");
        assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isZero();
        assertThat(Duration.between(stop, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }
}
