package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.SimOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The daemon is SIGKILLed with 50 logins pending; after a restart every one of them completes, with exactly one token each. */
class CrashRecoveryTest {
    private static final int LOGINS = 50;

    @RegisterExtension
    final TestBroker broker = TestBroker.process()
            .withSimulator(
                    SimOptions.defaults(Flavor.GITHUB).withIntervalSeconds(1).withCodeLifetimeSeconds(600));

    private JsonNode ok(String method, String path, String body) {
        var reply = broker.send(method, path, body);
        assertThat(reply.status()).as(method + " " + path + ": " + reply.body()).isBetween(200, 299);
        return reply.json();
    }

    @Test
    void fiftyPendingLoginsSurviveSigkillAndEachConnectsWithOneToken() {
        List<String> sessions = new ArrayList<>();
        List<String> userCodes = new ArrayList<>();
        for (int i = 0; i < LOGINS; i++) {
            ok(
                    "POST",
                    "/v1/providers",
                    "{\"name\":\"gh" + i + "\",\"type\":\"github\",\"client_id\":\"cid\",\"base_url\":\""
                            + broker.sim().baseUrl() + "\",\"host\":\"gh" + i + ".example.test\"}");
            JsonNode login = ok("POST", "/v1/logins", "{\"provider\":\"gh" + i + "\"}");
            sessions.add(login.path("session").asString());
            userCodes.add(login.path("user_code").asString());
        }
        TestBroker.pause(2_500);
        broker.kill(); // SIGKILL: no graceful anything

        for (String code : userCodes) broker.sim().approve(code, "user-" + code);
        broker.start();

        Instant deadline = Instant.now().plusSeconds(90);
        Set<String> connected = new HashSet<>();
        while (connected.size() < LOGINS && Instant.now().isBefore(deadline)) {
            for (String session : sessions) {
                if (connected.contains(session)) continue;
                String status =
                        ok("GET", "/v1/logins/" + session, null).path("status").asString();
                assertThat(status).as(session).isIn("pending", "awaiting_user", "connected");
                if (status.equals("connected")) connected.add(session);
            }
            TestBroker.pause(500);
        }
        assertThat(connected).hasSize(LOGINS);
        assertThat(broker.sim().grantCounts().deviceTokensIssued()).isEqualTo(LOGINS);
        assertThat(ok("GET", "/v1/credentials", null).path("credentials")).hasSize(LOGINS);
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < LOGINS; i++) {
            tokens.add(expect(200, broker.send("POST", "/v1/credentials/gh" + i + "/token", "{}"))
                    .json()
                    .path("token")
                    .asString());
        }
        assertThat(tokens).hasSize(LOGINS).allSatisfy(t -> assertThat(t).startsWith("gho_"));
        assertThat(broker.log()).contains("resumed");
    }
}
