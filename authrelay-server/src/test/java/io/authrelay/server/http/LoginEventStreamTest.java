package io.authrelay.server.http;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.SimOptions;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live login view (server-sent events) ends once the caller's credential stops being accepted, as a new request
 * would be refused: a revoked API token, a rotated admin token, a console session signed out. While it is accepted the
 * stream stays open.
 */
class LoginEventStreamTest {
    // Codes valid for an hour, polled every 5 s: the login stays pending for the whole test.
    @RegisterExtension
    final TestBroker d = TestBroker.inProcess()
            .withSimulator(SimOptions.defaults(Flavor.OIDC).withIntervalSeconds(5))
            .withProvidersYaml(sim -> """
                    providers:
                      - name: sso
                        type: oidc-device
                        client_id: cli
                        issuer: %s
                    """.formatted(sim.issuer()));

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String pendingLogin() {
        return expect(201, d.send("POST", "/v1/logins", "{\"provider\":\"sso\"}"))
                .json()
                .path("session")
                .asString();
    }

    private BufferedReader openStream(String session, String token, String... headers) throws Exception {
        HttpRequest.Builder request = d.request("GET", "/v1/logins/" + session + "/events", null, token)
                .header("Accept", "text/event-stream");
        if (headers.length > 0) request.headers(headers);
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(events.readLine()).isEqualTo("event: state");
        assertThat(events.readLine()).startsWith("data: ").contains("\"status\":\"pending\"");
        return events;
    }

    /** Every line the stream still sends, until the daemon ends it (the test's own time limit guards a stream that never ends). */
    private static List<String> restOf(BufferedReader events) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            List<String> lines = new ArrayList<>();
            for (String line = events.readLine(); line != null; line = events.readLine()) lines.add(line);
            return lines;
        });
    }

    private void assertEndedWhileThe(String session, BufferedReader events) {
        assertThat(restOf(events))
                .noneMatch(line -> line.contains("\"ended_at\":\"")); // ended for the caller, not the login
        assertThat(expect(200, d.send("GET", "/v1/logins/" + session, null))
                        .json()
                        .path("status")
                        .asString())
                .isEqualTo("pending");
    }

    private String apiToken(String name) {
        return expect(201, d.send("POST", "/v1/api-tokens", "{\"name\":\"" + name + "\",\"scope\":\"read\"}"))
                .json()
                .path("token")
                .asString();
    }

    @Test
    void aRevokedApiTokenEndsItsStreamAndNoOtherStream() throws Exception {
        String session = pendingLogin();
        BufferedReader revokedOnes = openStream(session, apiToken("watcher"));
        BufferedReader keptOnes = openStream(session, apiToken("kept"));

        expect(200, d.send("POST", "/v1/api-tokens/watcher/revoke", "{}"));

        assertEndedWhileThe(session, revokedOnes);
        expect(200, d.send("POST", "/v1/logins/" + session + "/cancel", "{}"));
        assertThat(restOf(keptOnes)).anyMatch(line -> line.contains("\"status\":\"cancelled\""));
    }

    @Test
    void aRotatedAdminTokenEndsTheStreamsItOpened() throws Exception {
        String session = pendingLogin();
        BufferedReader events = openStream(session, d.adminToken());

        expect(200, d.send("POST", "/v1/admin-token/rotate", "{}"));

        assertEndedWhileThe(session, events);
    }

    @Test
    void aConsoleSignOutEndsTheStreamsOfItsSession() throws Exception {
        String origin = d.url();
        Reply signedIn = expect(
                201,
                d.send(d.request("POST", "/console/session", null, d.adminToken())
                        .header("Origin", origin)));
        String cookie =
                signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String tab = signedIn.json().path("tab_secret").asString();
        String session = pendingLogin();
        BufferedReader events = openStream(session, null, "Cookie", cookie, "X-Authrelay-Console", tab);

        expect(
                200,
                d.send(d.request("POST", "/console/signout", null, null)
                        .header("Origin", origin)
                        .header("Cookie", cookie)
                        .header("X-Authrelay-Console", tab)));

        assertEndedWhileThe(session, events);
    }
}
