package io.authrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.client.FakeBroker.Answer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retries, backoff and the deadline against a real HTTP server that injects faults. */
class BrokerClientRetryTest {
    private static final String TOKEN = "arw_" + "t".repeat(40);
    private static final String OK =
            "{\"provider\":\"github\",\"username\":\"x-access-token\",\"password\":\"ghs_secretsecretsecret\"}";

    /** Always the same jitter value: 0 gives no sleep, 0.999… the full backoff ceiling. */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private final RecordingTimekeeper time = new RecordingTimekeeper();

    /** A client on virtual time: its backoffs are recorded in {@link #time}, not slept. */
    private BrokerClient client(FakeBroker broker, long deadlineMillis, double jitter, PrintStream err) {
        return new BrokerClient(
                config(broker, deadlineMillis, err), RetryClassifier.defaults(), fixed(jitter), err, time);
    }

    /** A client on the system's time, for the tests of an attempt cut off while the server still works on it. */
    private static BrokerClient clientOnSystemTime(FakeBroker broker, long deadlineMillis) {
        return new BrokerClient(config(broker, deadlineMillis, null), RetryClassifier.defaults(), fixed(0.5), null);
    }

    private static BrokerConfig config(FakeBroker broker, long deadlineMillis, PrintStream err) {
        return BrokerConfig.of(broker.url(), TOKEN)
                .withTimeoutMillis(deadlineMillis)
                .withDebug(err != null);
    }

    private WorkspaceClient workspace(FakeBroker broker) {
        return new WorkspaceClient(client(broker, 5_000, 0, null));
    }

    @Test
    void retries503ThreeTimesWithFullBackoffBoundsThenReturnsTheLastAnswer() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.error(503, "provider_unavailable", "down", null))) {
            BrokerClient.Response response = client(broker, 10_000, 0.999, null).send("POST", "/v1/vend", "{}");

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.attempts()).isEqualTo(3);
            List<FakeBroker.Request> requests = broker.requests();
            assertThat(requests).hasSize(3);
            // full jitter at its ceiling: just under 100 ms after the first attempt, 200 ms after the second
            assertThat(time.sleeps()).containsExactly(99L, 199L);
        }
    }

    @Test
    void zeroJitterMeansNoSleep() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.json(502, "bad gateway"))) {
            BrokerClient.Response response = client(broker, 10_000, 0.0, null).send("GET", "/v1/workspace", null);
            assertThat(response.status()).isEqualTo(502);
            assertThat(broker.requests()).hasSize(3);
            assertThat(time.sleeps()).containsExactly(0L, 0L);
        }
    }

    @Test
    void transientFailuresThenSuccess() throws Exception {
        try (FakeBroker broker = new FakeBroker(
                (i, r) -> i == 0 ? Answer.json(504, "") : i == 1 ? Answer.json(502, "") : Answer.json(200, OK))) {
            VendResult result = new WorkspaceClient(client(broker, 10_000, 0.5, null))
                    .vend(new VendRequest("https", "github.com", "o/r.git", null, List.of(), null));
            assertThat(result).isInstanceOf(VendResult.Granted.class);
            assertThat(((VendResult.Granted) result).password()).isEqualTo("ghs_secretsecretsecret");
            assertThat(broker.requests()).hasSize(3);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 500})
    void neverRetriesDefinitiveAnswers(int status) throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.error(status, "some_code", "no", null))) {
            BrokerClient.Response response = client(broker, 10_000, 0.5, null).send("POST", "/v1/vend", "{}");
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.attempts()).isEqualTo(1);
            assertThat(broker.requests()).hasSize(1);
        }
    }

    @Test
    void honoursRetryAfterOn429() throws Exception {
        try (FakeBroker broker = new FakeBroker((i, r) -> i == 0
                ? Answer.error(429, "too_many_auth_failures", "slow down", null).retryAfter("1")
                : Answer.json(200, OK))) {
            BrokerClient.Response response = client(broker, 5_000, 0.0, null).send("POST", "/v1/vend", "{}");
            assertThat(response.status()).isEqualTo(200);
            assertThat(broker.requests()).hasSize(2);
            assertThat(time.sleeps()).containsExactly(1_000L);
        }
    }

    @Test
    void givesUpAtOnceWhenRetryAfterIsPastTheDeadline() throws Exception {
        try (FakeBroker broker = FakeBroker.always(
                Answer.error(429, "too_many_auth_failures", "slow down", null).retryAfter("60"))) {
            BrokerClient.Response response = client(broker, 2_000, 0.5, null).send("POST", "/v1/vend", "{}");
            assertThat(response.status()).isEqualTo(429);
            assertThat(broker.requests()).hasSize(1);
            assertThat(time.sleeps()).isEmpty();
        }
    }

    @Test
    void aServerSlowerThanTheDeadlineIsCutOffAtTheDeadline() throws Exception {
        // waited out, the answer would be a 200: the exception alone shows the client stopped waiting before it
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, OK).delayed(5_000))) {
            assertThatThrownBy(() -> clientOnSystemTime(broker, 1_000).send("POST", "/v1/vend", "{}"))
                    .isInstanceOf(BrokerUnreachableException.class)
                    .hasMessageContaining("did not answer within 1 s")
                    .cause()
                    // the deadline's watcher or the socket's read timeout (set to what is left of it) fires first
                    .message()
                    .matches("deadline reached after.*|Read timed out");
            assertThat(broker.requests()).hasSize(1);
        }
    }

    @Test
    void aTricklingServerIsCutOffAtTheDeadline() throws Exception {
        // each byte arrives well within any read timeout, so only the overall deadline can stop this; the whole
        // answer would take seconds and succeed, so the exception shows the cut
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, OK).trickled(100))) {
            assertThatThrownBy(() -> clientOnSystemTime(broker, 1_000).send("POST", "/v1/vend", "{}"))
                    .isInstanceOf(BrokerUnreachableException.class)
                    .cause()
                    .hasMessageStartingWith("deadline reached after");
            assertThat(broker.requests()).hasSize(1);
        }
    }

    @Test
    void retriesAndSleepsStayInsideTheDeadline() throws Exception {
        // every answer takes the server 150 ms of the client's (virtual) time
        try (FakeBroker broker = new FakeBroker((i, r) -> {
            time.advance(150);
            return Answer.json(503, "");
        })) {
            RetryClassifier slowBackoff = new RetryClassifier(10, 400, 2_000, 100);
            BrokerClient.Response response = new BrokerClient(
                            config(broker, 700, null), slowBackoff, fixed(0.999), null, time)
                    .send("POST", "/v1/vend", "{}");
            assertThat(response.status()).isEqualTo(503);
            // 150 ms, a 399 ms backoff, 150 ms: the 1 ms left is less than an attempt needs, so no third one
            assertThat(time.sleeps()).containsExactly(399L);
            assertThat(broker.requests()).hasSize(2);
            assertThat(time.elapsedMillis()).isLessThanOrEqualTo(700L);
        }
    }

    @Test
    void aRejectReportStopsAtItsShortDeadlineNotTheClients() throws Exception {
        // every answer takes the server 2 s of the client's (virtual) time: the client's own 10 s deadline would
        // allow all 3 attempts, the report's 3 s deadline leaves too little for a third
        try (FakeBroker broker = new FakeBroker((i, r) -> {
            time.advance(2_000);
            return Answer.json(503, "");
        })) {
            boolean taken = new WorkspaceClient(client(broker, 10_000, 0.0, null))
                    .reject(new VendRequest("https", "github.com", "o/r.git", "me", List.of(), null));
            assertThat(taken).isFalse();
            assertThat(broker.requests()).hasSize(2);
            assertThat(WorkspaceClient.REJECT_TIMEOUT_MILLIS).isEqualTo(3_000L);
        }
    }

    @Test
    void connectionRefusedIsRetriedThenReportedAsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        ByteArrayOutputStream debug = new ByteArrayOutputStream();
        BrokerConfig config = BrokerConfig.of("http://127.0.0.1:" + port, TOKEN).withDebug(true);
        BrokerClient client = new BrokerClient(
                config,
                RetryClassifier.defaults(),
                fixed(0.5),
                new PrintStream(debug, true, StandardCharsets.UTF_8),
                time);
        assertThatThrownBy(() -> client.send("POST", "/v1/vend", "{}"))
                .isInstanceOf(BrokerUnreachableException.class)
                .hasMessage("authrelay: broker unreachable at http://127.0.0.1:" + port + ": is the daemon running?");
        String trace = debug.toString(StandardCharsets.UTF_8);
        assertThat(trace.lines().filter(l -> l.contains("attempt"))).hasSize(3);
        assertThat(trace)
                .contains("attempt 1/3", "retry in", "give up", "ConnectException")
                .doesNotContain(TOKEN);
    }

    @Test
    void sendsTheTokenOnlyInTheAuthorizationHeaderAndNeverTracesSecrets() throws Exception {
        try (FakeBroker broker = new FakeBroker((i, r) -> i == 0 ? Answer.json(503, "") : Answer.json(200, OK))) {
            ByteArrayOutputStream debug = new ByteArrayOutputStream();
            BrokerClient client = client(broker, 5_000, 0.0, new PrintStream(debug, true, StandardCharsets.UTF_8));
            VendResult result = new WorkspaceClient(client)
                    .vend(new VendRequest("https", "github.com", "o/r.git", "me", List.of("Basic realm=\"x\""), null));
            assertThat(result).isInstanceOf(VendResult.Granted.class);
            FakeBroker.Request request = broker.requests().get(1);
            assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
            assertThat(request.path()).isEqualTo("/v1/vend").doesNotContain(TOKEN);
            assertThat(request.contentType()).isEqualTo("application/json");
            assertThat(MiniJson.parseObject(request.body()))
                    .containsEntry("host", "github.com")
                    .containsEntry("path", "o/r.git")
                    .containsEntry("protocol", "https")
                    .containsEntry("username", "me")
                    .containsEntry("wwwauth", List.of("Basic realm=\"x\""))
                    .doesNotContainKey("provider");
            String trace = debug.toString(StandardCharsets.UTF_8);
            assertThat(trace)
                    .contains(
                            "POST " + broker.url() + "/v1/vend attempt 1/3: HTTP 503",
                            "retry in 0 ms",
                            "attempt 2/3: HTTP 200",
                            ": done");
            assertThat(trace).doesNotContain(TOKEN).doesNotContain("ghs_secretsecretsecret");
        }
    }

    @Test
    void vendClassifiesBrokerErrors() throws Exception {
        VendRequest request = new VendRequest("https", "github.com", "org/repo.git", null, List.of(), null);
        try (FakeBroker broker =
                FakeBroker.always(Answer.error(404, "unknown_host", "no provider serves github.com", null))) {
            assertThat(workspace(broker).vend(request)).isInstanceOf(VendResult.NotOurs.class);
        }
        try (FakeBroker broker = FakeBroker.always(
                Answer.error(409, "needs_reauth", "github needs re-login", "run: authrelay login github"))) {
            assertThat(workspace(broker).vend(request))
                    .isEqualTo(new VendResult.Failed(
                            "needs_reauth",
                            "authrelay: github needs a new login: ask an admin to run authrelay login github",
                            true));
        }
        try (FakeBroker broker = FakeBroker.always(Answer.error(403, "not_granted", "no", null))) {
            assertThat(workspace(broker).vend(request))
                    .isEqualTo(new VendResult.Failed(
                            "not_granted",
                            "authrelay: this workspace is not granted github.com/org/repo: ask an admin to add a grant",
                            true));
        }
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, "<html>"))) {
            assertThat(workspace(broker).vend(request))
                    .isInstanceOf(VendResult.Failed.class)
                    .extracting(r -> ((VendResult.Failed) r).code())
                    .isEqualTo("bad_response");
        }
    }

    @Test
    void workspaceInfoIsParsed() throws Exception {
        String body =
                "{\"name\":\"ws1\",\"expires_at\":\"2026-01-01T00:00:00Z\",\"grants\":[{\"provider\":\"github\",\"host\":\"github.com\","
                        + "\"path\":\"org/*\"}],\"hosts\":[\"github.com\"]}";
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, body))) {
            WorkspaceInfo info = workspace(broker).workspace();
            assertThat(info.name()).isEqualTo("ws1");
            assertThat(info.grants()).containsExactly(new WorkspaceInfo.Grant("github", "github.com", "org/*"));
            assertThat(info.hosts()).containsExactly("github.com");
            assertThat(broker.requests().get(0).method()).isEqualTo("GET");
        }
    }
}
