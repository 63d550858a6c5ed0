package io.authrelay.server.login;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.core.login.PollPolicy;
import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestDatabase;
import io.authrelay.sim.Faults;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.Poll;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Every state a device login can reach, against the provider simulator over real HTTP, with a real daemon on SQLite
 * and on PostgreSQL.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class DeviceFlowTest {
    private static final PollPolicy FAST_FAILURE = new PollPolicy(3, Duration.ofSeconds(2));

    @RegisterExtension
    final TestBroker d;

    DeviceFlowTest(TestDatabase database) {
        d = TestBroker.inProcess().on(database).withPollPolicy(FAST_FAILURE).startedByTest();
    }

    private ProviderSimulator sim;

    private void start(Flavor flavor, int tokenLifetimeSeconds) throws Exception {
        sim = d.startSimulator(SimOptions.defaults(flavor)
                .withIntervalSeconds(1)
                .withCodeLifetimeSeconds(120)
                .withTokenLifetimeSeconds(tokenLifetimeSeconds));
        d.start();
        String body = flavor == Flavor.GITHUB
                ? "{\"name\":\"gh\",\"type\":\"github\",\"client_id\":\"cid\",\"base_url\":\"" + sim.baseUrl() + "\"}"
                : "{\"name\":\"gh\",\"type\":\"oidc-device\",\"client_id\":\"cid\",\"issuer\":\"" + sim.issuer()
                        + "\"}";
        expect(201, d.send("POST", "/v1/providers", body));
    }

    private static JsonNode json(Reply response) {
        return response.json();
    }

    private JsonNode startLogin() {
        return json(expect(201, d.send("POST", "/v1/logins", "{\"provider\":\"gh\"}")));
    }

    private JsonNode awaitEnd(String session, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode s = json(expect(200, d.send("GET", "/v1/logins/" + session, null)));
            String status = s.path("status").asString();
            if (!status.equals("pending") && !status.equals("awaiting_user")) return s;
            Thread.sleep(100);
        }
        throw new AssertionError("login " + session + " did not end within " + timeout);
    }

    private void awaitPolls(String userCode, int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (devicePolls(userCode).size() < count) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("fewer than " + count + " polls");
            Thread.sleep(50);
        }
    }

    private List<Poll> devicePolls(String userCode) {
        return sim.polls().stream().filter(p -> userCode.equals(p.userCode())).toList();
    }

    private String token() {
        return json(expect(200, d.send("POST", "/v1/credentials/gh/token", "{}")))
                .path("token")
                .asString();
    }

    @Test
    void providerEndpointsInPlainHttpAreRefusedUnlessTheyAreThisMachine() throws Exception {
        start(Flavor.OIDC, 3600); // a loopback issuer in plain http is accepted: the simulator itself
        List<String> bodies = List.of(
                "{\"name\":\"a\",\"type\":\"github\",\"client_id\":\"c\",\"base_url\":\"http://ghe.example.com\"}",
                "{\"name\":\"b\",\"type\":\"github\",\"client_id\":\"c\",\"base_url\":\"HTTP://GHE.EXAMPLE.COM\"}",
                "{\"name\":\"c\",\"type\":\"github\",\"client_id\":\"c\",\"base_url\":\"http://127.0.0.1.nip.io\"}",
                "{\"name\":\"d\",\"type\":\"github\",\"client_id\":\"c\",\"base_url\":\"http://localhost.example.com\"}",
                "{\"name\":\"e\",\"type\":\"oidc-device\",\"client_id\":\"c\",\"issuer\":\"http://sso.example.com\"}",
                "{\"name\":\"f\",\"type\":\"oidc-device\",\"client_id\":\"c\",\"issuer\":\"" + sim.issuer()
                        + "\",\"device_endpoint\":\"http://sso.example.com/device\","
                        + "\"token_endpoint\":\"" + sim.issuer() + "/token\"}");
        for (String body : bodies) {
            Reply refused = d.send("POST", "/v1/providers", body);
            assertThat(refused.status()).as(body + " → " + refused).isEqualTo(400);
            assertThat(refused.errorCode()).as(body).isEqualTo("insecure_url");
        }
        assertThat(d.send(
                                "POST",
                                "/v1/providers",
                                "{\"name\":\"g\",\"type\":\"github\",\"client_id\":\"c\","
                                        + "\"base_url\":\"ftp://ghe.example.com\"}")
                        .errorCode())
                .isEqualTo("invalid_url");
        // Lookalikes of a loopback name, userinfo in front of another host, an encoded dot: none is this machine.
        for (String url : List.of(
                "http://\u217Cocalhost:8080",
                "http://127.0.0.1@evil.example",
                "http://localhost%2eevil.example",
                "http://127.0.0.1.:8080.evil.example",
                "http://[::1].evil.example")) {
            Reply refused = d.send(
                    "POST",
                    "/v1/providers",
                    "{\"name\":\"h\",\"type\":\"github\",\"client_id\":\"c\",\"base_url\":\"" + url + "\"}");
            assertThat(refused.status()).as(url + " → " + refused).isEqualTo(400);
            assertThat(refused.errorCode()).as(url).isIn("insecure_url", "invalid_url");
        }
        expect(
                201,
                d.send(
                        "POST",
                        "/v1/providers",
                        "{\"name\":\"i\",\"type\":\"github\",\"client_id\":\"c\","
                                + "\"base_url\":\"HTTP://LOCALHOST:1\"}")); // case folds to this machine
    }

    @Test
    void aPendingCodeIsShownToAdminsOnlySinceWhoeverEntersItChoosesTheAccount() throws Exception {
        start(Flavor.GITHUB, 3600);
        JsonNode login = startLogin();
        String code = login.path("user_code").asString();
        assertThat(code).matches("[A-Z0-9]{4}-[A-Z0-9]{4}");
        String read = d.createApiToken("dashboard", "read");
        String session = login.path("session").asString();

        for (String path : List.of("/v1/logins", "/v1/logins/" + session, "/v1/status", "/v1/diagnose/gh")) {
            Reply asReader = expect(200, d.send("GET", path, null, read));
            assertThat(asReader.body()).as(path).doesNotContain(code).contains("hidden: admin only");
            assertThat(expect(200, d.send("GET", path, null)).body()).as(path).contains(code);
        }
        assertThat(expect(200, d.send("GET", "/v1/logins/" + session, null, read))
                        .json()
                        .path("verification_uri_complete")
                        .isNull())
                .isTrue();

        sim.approve(code, "octocat");
        assertThat(awaitEnd(session, Duration.ofSeconds(30)).path("status").asString())
                .isEqualTo("connected");
        assertThat(expect(200, d.send("GET", "/v1/logins/" + session, null, read))
                        .json()
                        .path("user_code")
                        .asString())
                .as("an ended login's code opens nothing")
                .isEqualTo(code);
    }

    @Test
    void githubLoginConnectsWithAccountAndScopesAndASecondStartRejoinsIt() throws Exception {
        start(Flavor.GITHUB, 0);
        JsonNode login = startLogin();
        assertThat(login.path("status").asString()).isEqualTo("pending");
        assertThat(login.path("verification_uri").asString()).startsWith(sim.baseUrl());
        JsonNode again = json(expect(200, d.send("POST", "/v1/logins", "{\"provider\":\"gh\"}")));
        assertThat(again.path("session").asString())
                .isEqualTo(login.path("session").asString());
        assertThat(again.path("already_pending").asBoolean()).isTrue();

        String userCode = login.path("user_code").asString();
        awaitPolls(userCode, 1);
        sim.approve(userCode, "octocat");
        JsonNode done = awaitEnd(login.path("session").asString(), Duration.ofSeconds(20));

        assertThat(done.path("status").asString()).isEqualTo("connected");
        assertThat(done.path("account").asString()).isEqualTo("octocat");
        JsonNode credential = json(expect(200, d.send("GET", "/v1/credentials", null)))
                .path("credentials")
                .get(0);
        assertThat(credential.path("state").asString()).isEqualTo("connected");
        assertThat(credential.path("expires_at").isNull())
                .as("OAuth App tokens do not expire")
                .isTrue();
        assertThat(token()).startsWith("gho_");
        assertThat(sim.grantCounts().deviceTokensIssued()).isEqualTo(1);
        assertThat(devicePolls(userCode))
                .allSatisfy(p -> assertThat(p.httpStatus()).isEqualTo(200));
    }

    @Test
    void oidcLoginRefreshesOnDemandAndRotatesItsRefreshToken() throws Exception {
        start(Flavor.OIDC, 2);
        JsonNode login = startLogin();
        sim.approve(login.path("user_code").asString(), "alice");
        JsonNode done = awaitEnd(login.path("session").asString(), Duration.ofSeconds(20));
        assertThat(done.path("status").asString()).isEqualTo("connected");
        assertThat(done.path("account").asString()).isEqualTo("alice");

        String first = token();
        Thread.sleep(2_500);
        String second = token();
        assertThat(second).isNotEqualTo(first);
        Thread.sleep(2_500);
        String third = token();
        assertThat(third).isNotEqualTo(second);
        assertThat(sim.grantCounts().refreshGrantsSucceeded()).isGreaterThanOrEqualTo(2);
        assertThat(sim.grantCounts().refreshGrantsRejected()).isZero();
        assertThat(sim.grantCounts().familiesRevoked()).isZero();
    }

    @Test
    void twentyConcurrentTokenRequestsForAnExpiredCredentialCauseExactlyOneRefreshGrant() throws Exception {
        start(Flavor.OIDC, 3);
        JsonNode login = startLogin();
        sim.approve(login.path("user_code").asString(), "alice");
        assertThat(awaitEnd(login.path("session").asString(), Duration.ofSeconds(20))
                        .path("status")
                        .asString())
                .isEqualTo("connected");
        String expired = token();
        // The scheduled refresh (due half-way through the 3 s lifetime) will be slow, so the burst below arrives
        // after expiry while it is still in flight: scheduler and callers must all share that one refresh.
        sim.setTokenLifetimeSeconds(3600);
        sim.setFaults(new Faults(4_000, 0, 0, 0, 0));
        Thread.sleep(3_200);

        List<String> tokens;
        try (var pool = Executors.newFixedThreadPool(20)) {
            List<Future<String>> calls = IntStream.range(0, 20)
                    .mapToObj(i -> pool.submit(this::token))
                    .toList();
            tokens = calls.stream()
                    .map(f -> {
                        try {
                            return f.get();
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    })
                    .toList();
        }
        assertThat(sim.grantCounts().refreshGrantsSucceeded()).isEqualTo(1);
        assertThat(sim.grantCounts().refreshGrantsRejected()).isZero();
        assertThat(tokens).hasSize(20).containsOnly(tokens.get(0)).doesNotContain(expired);
    }

    @Test
    void aRejectedRefreshMarksTheConnectionNeedsReauthWithAnAuditEventAnd409() throws Exception {
        start(Flavor.OIDC, 1);
        JsonNode login = startLogin();
        sim.approve(login.path("user_code").asString(), "alice");
        awaitEnd(login.path("session").asString(), Duration.ofSeconds(20));
        token();
        // The user removes the app's authorization at the provider: every token of the grant dies.
        sim.revokeLogin("alice");
        Thread.sleep(1_500);

        Reply refused = d.send("POST", "/v1/credentials/gh/token", "{}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(json(refused).path("error").path("code").asString()).isEqualTo("needs_reauth");
        assertThat(json(refused).path("error").path("hint").asString()).contains("authrelay login gh");
        assertThat(json(expect(200, d.send("GET", "/v1/credentials", null)))
                        .path("credentials")
                        .get(0)
                        .path("state")
                        .asString())
                .isEqualTo("needs_reauth");
        assertThat(expect(200, d.send("GET", "/v1/audit", null)).body()).contains("credential.needs_reauth");
        JsonNode diagnosis = json(expect(200, d.send("GET", "/v1/diagnose/gh", null)));
        assertThat(diagnosis.path("state").asString()).isEqualTo("needs_reauth");
        assertThat(diagnosis.path("advice").asString()).contains("authrelay login gh");
    }

    @Test
    void deniedExpiredCancelledAndFailedLoginsEndWithAReason() throws Exception {
        start(Flavor.OIDC, 0);
        JsonNode denied = startLogin();
        sim.deny(denied.path("user_code").asString());
        JsonNode deniedEnd = awaitEnd(denied.path("session").asString(), Duration.ofSeconds(20));
        assertThat(deniedEnd.path("status").asString()).isEqualTo("denied");
        assertThat(deniedEnd.path("reason").asString()).contains("denied");

        sim.setCodeLifetimeSeconds(3);
        JsonNode expired = startLogin();
        JsonNode expiredEnd = awaitEnd(expired.path("session").asString(), Duration.ofSeconds(20));
        assertThat(expiredEnd.path("status").asString()).isEqualTo("expired");
        assertThat(devicePolls(expired.path("user_code").asString()))
                .allSatisfy(p -> assertThat(p.atEpochMillis())
                        .isLessThanOrEqualTo(
                                Instant.parse(expired.path("expires_at").asString())
                                                .toEpochMilli()
                                        + 1000));

        sim.setCodeLifetimeSeconds(120);
        JsonNode cancelled = startLogin();
        expect(200, d.send("POST", "/v1/logins/" + cancelled.path("session").asString() + "/cancel", "{}"));
        assertThat(awaitEnd(cancelled.path("session").asString(), Duration.ofSeconds(5))
                        .path("status")
                        .asString())
                .isEqualTo("cancelled");
        assertThat(d.send("POST", "/v1/logins/" + cancelled.path("session").asString() + "/cancel", "{}")
                        .status())
                .isEqualTo(409);

        JsonNode failing = startLogin();
        sim.setFaults(new Faults(0, 1.0, 0, 0, 0));
        JsonNode failed = awaitEnd(failing.path("session").asString(), Duration.ofSeconds(30));
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("reason").asString()).contains("in a row failed").contains("HTTP 5");
        JsonNode diagnosis = json(expect(
                200, d.send("GET", "/v1/diagnose/" + failing.path("session").asString(), null)));
        assertThat(diagnosis.path("summary").asString()).contains("failed");
        assertThat(diagnosis
                        .path("timeline")
                        .valueStream()
                        .map(e -> e.path("code").asString())
                        .toList())
                .contains("transient");

        String metrics = expect(200, d.send("GET", "/metrics", null)).body();
        assertThat(metrics)
                .contains(
                        "authrelay_logins_total{outcome=\"denied\"}",
                        "authrelay_logins_total{outcome=\"expired\"}",
                        "authrelay_logins_total{outcome=\"failed\"}",
                        "authrelay_login_polls_total",
                        "authrelay_logins_pending",
                        "authrelay_scheduler_heartbeat_age_seconds",
                        "authrelay_login_poll_latency");
    }

    @Test
    void transientFaultsAreRetriedAndTheLoginStillConnects() throws Exception {
        start(Flavor.GITHUB, 0);
        JsonNode login = startLogin();
        sim.setFaults(new Faults(0, 0, 0, 1.0, 0));
        String userCode = login.path("user_code").asString();
        awaitPolls(userCode, 1);
        sim.setFaults(new Faults(0, 0, 0, 0, 1.0));
        awaitPolls(userCode, 2);
        sim.setFaults(Faults.none());
        sim.approve(userCode, "octocat");
        assertThat(awaitEnd(login.path("session").asString(), Duration.ofSeconds(30))
                        .path("status")
                        .asString())
                .isEqualTo("connected");
        List<String> errors = devicePolls(userCode).stream().map(Poll::error).toList();
        assertThat(errors).contains("garbage", "reset");
        assertThat(sim.grantCounts().deviceTokensIssued()).isEqualTo(1);
    }

    @Test
    void neverPollsFasterThanTheIntervalAllowsIncludingAfterSlowDown() throws Exception {
        start(Flavor.OIDC, 0);
        JsonNode login = startLogin();
        String userCode = login.path("user_code").asString();
        awaitPolls(userCode, 2);
        sim.setFaults(new Faults(0, 0, 1, 0, 0));
        awaitPolls(userCode, 4);
        sim.approve(userCode, "alice");
        assertThat(awaitEnd(login.path("session").asString(), Duration.ofSeconds(30))
                        .path("status")
                        .asString())
                .isEqualTo("connected");

        List<Poll> polls = devicePolls(userCode);
        long interval = 1000;
        for (int i = 1; i < polls.size(); i++) {
            long gap = polls.get(i).atEpochMillis() - polls.get(i - 1).atEpochMillis();
            assertThat(gap)
                    .as("gap before poll %d (interval %d ms)", i, interval)
                    .isGreaterThanOrEqualTo(interval);
            if ("slow_down".equals(polls.get(i - 1).error())) interval += 5000;
        }
        assertThat(polls).extracting(Poll::error).contains("slow_down").doesNotContain("server_error");
        assertThat(interval).as("slow_down raised the interval for good").isEqualTo(6000);
    }

    @Test
    void aLoginSurvivesADaemonRestartAndTheTokenIsNeverStoredInPlaintext() throws Exception {
        start(Flavor.GITHUB, 0);
        JsonNode login = startLogin();
        d.restart();
        sim.approve(login.path("user_code").asString(), "octocat");
        assertThat(awaitEnd(login.path("session").asString(), Duration.ofSeconds(20))
                        .path("status")
                        .asString())
                .isEqualTo("connected");
        String access = token();
        d.terminate();
        StringBuilder bytes = new StringBuilder();
        // every file below the home: it now holds directories too (native/ for the PTY library, runs/ for CLI logins)
        try (var files = Files.walk(d.home())) {
            for (Path f : files.filter(Files::isRegularFile).toList())
                bytes.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
        assertThat(bytes.toString()).doesNotContain(access);
        // Wherever the database is (a PostgreSQL server, not the home): no column of any row holds it either.
        try (var db = d.openDatabase()) {
            for (String table : List.of("credential", "sealed_secret", "login_session", "login_event", "audit_event")) {
                String rows = db.with(h -> h.createQuery("SELECT * FROM " + table).mapToMap().list().stream()
                        .flatMap(row -> row.values().stream())
                        .map(v ->
                                v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(v))
                        .collect(java.util.stream.Collectors.joining("\n")));
                assertThat(rows).as(table).doesNotContain(access);
            }
        }
    }
}
