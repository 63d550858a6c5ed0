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

    private static BrokerClient client(FakeBroker broker, long deadlineMillis, double jitter, PrintStream err) {
        BrokerConfig config = BrokerConfig.of(broker.url(), TOKEN)
                .withTimeoutMillis(deadlineMillis)
                .withDebug(err != null);
        return new BrokerClient(config, RetryClassifier.defaults(), fixed(jitter), err);
    }

    private static WorkspaceClient workspace(FakeBroker broker) {
        return new WorkspaceClient(client(broker, 5_000, 0, null));
    }

    private static long gapMillis(List<FakeBroker.Request> requests, int i) {
        return (requests.get(i).atNanos() - requests.get(i - 1).atNanos()) / 1_000_000;
    }

    @Test
    void retries503ThreeTimesWithFullBackoffBoundsThenReturnsTheLastAnswer() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.error(503, "provider_unavailable", "down", null))) {
            BrokerClient.Response response = client(broker, 10_000, 0.999, null).send("POST", "/v1/vend", "{}");

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.attempts()).isEqualTo(3);
            List<FakeBroker.Request> requests = broker.requests();
            assertThat(requests).hasSize(3);
            // full jitter at its ceiling: ~100 ms after the first attempt, ~200 ms after the second
            assertThat(gapMillis(requests, 1)).isBetween(90L, 100L + 400L);
            assertThat(gapMillis(requests, 2)).isBetween(190L, 200L + 400L);
        }
    }

    @Test
    void zeroJitterMeansNoSleep() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.json(502, "bad gateway"))) {
            long start = System.nanoTime();
            BrokerClient.Response response = client(broker, 10_000, 0.0, null).send("GET", "/v1/workspace", null);
            assertThat(response.status()).isEqualTo(502);
            assertThat(broker.requests()).hasSize(3);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
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
            assertThat(gapMillis(broker.requests(), 1))
                    .isGreaterThanOrEqualTo(990L)
                    .isLessThan(1_600L);
        }
    }

    @Test
    void givesUpAtOnceWhenRetryAfterIsPastTheDeadline() throws Exception {
        try (FakeBroker broker = FakeBroker.always(
                Answer.error(429, "too_many_auth_failures", "slow down", null).retryAfter("60"))) {
            long start = System.nanoTime();
            BrokerClient.Response response = client(broker, 2_000, 0.5, null).send("POST", "/v1/vend", "{}");
            assertThat(response.status()).isEqualTo(429);
            assertThat(broker.requests()).hasSize(1);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
        }
    }

    @Test
    void aServerSlowerThanTheDeadlineIsCutOffAtTheDeadline() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, OK).delayed(5_000))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client(broker, 1_000, 0.5, null).send("POST", "/v1/vend", "{}"))
                    .isInstanceOf(BrokerUnreachableException.class)
                    .hasMessageContaining("did not answer within 1 s");
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsed).isGreaterThanOrEqualTo(900L).isLessThan(1_000L + 400L);
            assertThat(broker.requests()).hasSize(1);
        }
    }

    @Test
    void aTricklingServerIsCutOffAtTheDeadline() throws Exception {
        // each byte arrives well within any read timeout, so only the overall deadline can stop this
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, OK).trickled(100))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client(broker, 1_000, 0.5, null).send("POST", "/v1/vend", "{}"))
                    .isInstanceOf(BrokerUnreachableException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000L + 400L);
        }
    }

    @Test
    void retriesAndSleepsStayInsideTheDeadline() throws Exception {
        try (FakeBroker broker = FakeBroker.always(Answer.json(503, "").delayed(150))) {
            RetryClassifier slowBackoff = new RetryClassifier(10, 400, 2_000, 100);
            BrokerConfig config = BrokerConfig.of(broker.url(), TOKEN).withTimeoutMillis(700);
            long start = System.nanoTime();
            BrokerClient.Response response =
                    new BrokerClient(config, slowBackoff, fixed(0.999), null).send("POST", "/v1/vend", "{}");
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertThat(response.status()).isEqualTo(503);
            assertThat(elapsed).isLessThan(700L + 300L);
            assertThat(broker.requests().size()).isBetween(2, 4);
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
                config, RetryClassifier.defaults(), fixed(0.5), new PrintStream(debug, true, StandardCharsets.UTF_8));
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
