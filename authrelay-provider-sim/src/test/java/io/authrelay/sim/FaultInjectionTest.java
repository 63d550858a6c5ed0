package io.authrelay.sim;

import static io.authrelay.sim.Http.DEVICE_GRANT;
import static io.authrelay.sim.Http.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.sim.Http.Resp;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

class FaultInjectionTest {

    @RegisterExtension
    static final SimulatorForTests running =
            SimulatorForTests.resetEachTest(SimOptions.defaults(Flavor.OIDC).withIntervalSeconds(0));

    static final ProviderSimulator sim = running.sim;
    static final Http http = running.http;

    static String[] device() throws IOException {
        Resp r = http.postForm("/oauth/device_authorization", form("client_id", "cli-app", "scope", "openid"));
        assertThat(r.status()).isEqualTo(200);
        return new String[] {r.str("device_code"), r.str("user_code")};
    }

    static Resp poll(String deviceCode) throws IOException {
        return http.postForm(
                "/oauth/token", form("grant_type", DEVICE_GRANT, "device_code", deviceCode, "client_id", "cli-app"));
    }

    static List<Poll> pollsOf(String userCode) {
        return sim.polls().stream().filter(p -> userCode.equals(p.userCode())).toList();
    }

    @Test
    void errorRateOneAnswersEveryRequestWithA5xx() throws Exception {
        String[] d = device();
        sim.setFaults(Faults.none().withErrorRate(1.0));
        for (int i = 0; i < 6; i++) {
            assertThat(poll(d[0]).status()).isIn(500, 502, 503);
        }
        assertThat(http.postForm("/oauth/device_authorization", form("client_id", "cli-app"))
                        .status())
                .isIn(500, 502, 503);
        assertThat(pollsOf(d[1])).hasSize(6).allSatisfy(p -> {
            assertThat(p.httpStatus()).isIn(500, 502, 503);
            assertThat(p.error()).isEqualTo("server_error");
        });
        // faults short-circuit: the code was never polled, so it still works afterwards
        sim.setFaults(Faults.none());
        assertThat(poll(d[0]).str("error")).isEqualTo("authorization_pending");
    }

    @Test
    void garbageRateOneAnswers200WithABodyThatIsNotJson() throws Exception {
        String[] d = device();
        sim.approve(d[1], "octocat");
        sim.setFaults(Faults.none().withGarbageRate(1.0));
        Resp r = poll(d[0]);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).doesNotContain("json");
        assertThatThrownBy(r::json).isInstanceOf(JacksonException.class);
        assertThat(pollsOf(d[1])).singleElement().satisfies(p -> {
            assertThat(p.httpStatus()).isEqualTo(200);
            assertThat(p.error()).isEqualTo("garbage");
        });
        // the approved code was not consumed by the garbage answer
        sim.setFaults(Faults.none());
        assertThat(poll(d[0]).status()).isEqualTo(200);
    }

    @Test
    void resetRateOneClosesTheConnectionWithoutAResponse() throws Exception {
        String[] d = device();
        sim.setFaults(Faults.none().withResetRate(1.0));
        assertThatThrownBy(() -> poll(d[0])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> http.postForm("/oauth/device_authorization", form("client_id", "cli-app")))
                .isInstanceOf(IOException.class);
        assertThat(pollsOf(d[1])).singleElement().satisfies(p -> {
            assertThat(p.httpStatus()).isZero();
            assertThat(p.error()).isEqualTo("reset");
        });
        sim.setFaults(Faults.none());
        assertThat(poll(d[0]).str("error")).isEqualTo("authorization_pending");
    }

    @Test
    void latencyDelaysTheAnswer() throws Exception {
        String[] d = device();
        sim.setFaults(Faults.none().withLatencyMs(400));
        long start = System.nanoTime();
        Resp r = poll(d[0]);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.str("error")).isEqualTo("authorization_pending");
        assertThat(ms).isGreaterThanOrEqualTo(400);
        // the recorded timestamp is the arrival, before the delay
        Poll p = pollsOf(d[1]).getFirst();
        assertThat(System.currentTimeMillis() - p.atEpochMillis()).isGreaterThanOrEqualTo(400);
        // The control endpoints are never delayed: with ten minutes of latency they still answer inside the client's
        // 10 s timeout. (The lower bounds above cannot fail on a slow machine; no upper bound on time is asserted.)
        sim.setFaults(Faults.none().withLatencyMs(FaultInjector.MAX_LATENCY_MS));
        assertThat(http.get("/sim/faults").status()).isEqualTo(200);
        sim.setFaults(Faults.none());
    }

    @Test
    void forcedSlowDownAnswersTheNextNPolls() throws Exception {
        String[] d = device();
        sim.setFaults(Faults.none().withForceSlowDown(2));
        assertThat(sim.faults().forceSlowDown()).isEqualTo(2);
        assertThat(poll(d[0]).str("error")).isEqualTo("slow_down");
        assertThat(poll(d[0]).str("error")).isEqualTo("slow_down");
        assertThat(sim.faults().forceSlowDown()).isZero();
        // each slow_down added 5 s to this code's interval, so polling right away is now too fast
        assertThat(poll(d[0]).str("error")).isEqualTo("slow_down");
        String[] fresh = device();
        assertThat(poll(fresh[0]).str("error")).isEqualTo("authorization_pending");
    }

    @Test
    void faultsAreSettableOverHttp() throws Exception {
        Resp set = http.postJson(
                "/sim/faults",
                Map.of(
                        "error_rate",
                        0.25,
                        "latency_ms",
                        10,
                        "force_slow_down",
                        3,
                        "code_lifetime_seconds",
                        30,
                        "token_lifetime_seconds",
                        0,
                        "interval_seconds",
                        2));
        assertThat(set.status()).isEqualTo(200);
        JsonNode f = set.json();
        assertThat(f.get("error_rate").asDouble()).isEqualTo(0.25);
        assertThat(f.get("latency_ms").asLong()).isEqualTo(10);
        assertThat(f.get("force_slow_down").asInt()).isEqualTo(3);
        assertThat(f.get("garbage_rate").asDouble()).isZero();
        assertThat(f.get("reset_rate").asDouble()).isZero();
        assertThat(f.get("code_lifetime_seconds").asInt()).isEqualTo(30);
        assertThat(f.get("token_lifetime_seconds").asInt()).isZero();
        assertThat(f.get("interval_seconds").asInt()).isEqualTo(2);
        assertThat(sim.faults()).isEqualTo(new Faults(10, 0.25, 3, 0, 0));
        assertThat(sim.codeLifetimeSeconds()).isEqualTo(30);
        assertThat(http.get("/sim/faults").json()).isEqualTo(f);

        Resp unknown = http.postJson("/sim/faults", Map.of("error_rat", 1));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.str("error")).isEqualTo("unknown_field");
        assertThat(http.postJson("/sim/faults", Map.of("error_rate", 2)).status())
                .isEqualTo(400);
        assertThat(http.postJson("/sim/faults", "[1]").status()).isEqualTo(400);
        assertThat(sim.faults().errorRate()).isEqualTo(0.25);

        assertThat(http.postJson("/sim/reset", "{}").status()).isEqualTo(200);
        assertThat(sim.faults()).isEqualTo(Faults.none());
        assertThat(sim.intervalSeconds()).isZero();
        assertThatThrownBy(() -> new Faults(0, 1.5, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void partialErrorRateFailsSomeRequestsOnly() throws Exception {
        String[] d = device();
        sim.setFaults(Faults.none().withErrorRate(0.5));
        int failed = 0;
        for (int i = 0; i < 60; i++) {
            if (poll(d[0]).status() >= 500) failed++;
        }
        assertThat(failed).isBetween(10, 50);
    }
}
