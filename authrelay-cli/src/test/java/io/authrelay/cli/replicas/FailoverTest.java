package io.authrelay.cli.replicas;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestReplicas;
import io.authrelay.sim.Faults;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.Poll;
import io.authrelay.sim.SimOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas on one PostgreSQL share the pending logins; one is SIGKILLed while polls are in flight, and the
 * survivor finishes every login: each connects with exactly one token, no poll breaks the RFC 8628 interval, and the
 * polls the dead replica was running are revived by the survivor. The size is {@code -Dauthrelay.failover.logins}
 * (bench/replicas.sh runs 500); the measurement goes to stdout and, if {@code -Dauthrelay.bench.report=FILE}, to FILE.
 */
class FailoverTest {
    private static final int LOGINS = Integer.getInteger("authrelay.failover.logins", 60);
    private static final int INTERVAL_SECONDS = 2;
    /** Each token request is held this long at the simulator, so that the kill finds polls in flight. */
    private static final long POLL_LATENCY_MS = 3_000;
    /**
     * A request the dead replica wrote just before the kill may still be read by the simulator just after it; the
     * survivor cannot poll a login the dead one held before the dead one misses 4 heartbeats of 1 s, so polls within
     * this grace after the kill are not counted as the survivor's.
     */
    private static final long IN_TRANSIT_GRACE_MS = 500;

    @RegisterExtension
    final TestReplicas replicas = TestReplicas.of(2)
            .withSimulator(SimOptions.defaults(Flavor.GITHUB)
                    .withIntervalSeconds(INTERVAL_SECONDS)
                    .withCodeLifetimeSeconds(1_800));

    @Test
    void theSurvivorFinishesEveryLoginWithOneTokenEachWithinTheIntervalAndRevivesThePollsInFlight() {
        TestBroker dying = replicas.replica(0);
        TestBroker survivor = replicas.replica(1);
        List<Login> logins = Logins.start(replicas, LOGINS, "gh", this::githubProvider);

        replicas.sim().setFaults(new Faults(POLL_LATENCY_MS, 0, 0, 0, 0));
        TestBroker.pause(POLL_LATENCY_MS + INTERVAL_SECONDS * 1_000L); // every login has a poll running or done
        String deadName = replicas.schedulerName(0);
        long killedAt = System.currentTimeMillis();
        replicas.kill(0);
        Set<String> heldByDead = new HashSet<>(replicas.pickedBy(deadName, "poll-login"));
        assertThat(heldByDead)
                .as("polls the dead replica was running at the kill")
                .isNotEmpty();

        replicas.sim().setFaults(Faults.none());
        // The user approves once the simulator has answered what the dead replica sent (it holds each request and
        // decides after the hold): a token issued to a dead replica is lost with it, since a device code is redeemed
        // once, and a real provider decides when the request arrives, before this approval.
        TestBroker.pause(POLL_LATENCY_MS + 500);
        for (Login login : logins) replicas.sim().approve(login.userCode(), "user-" + login.userCode());
        long lastConnectedAt = Logins.awaitAllConnected(survivor, logins, Duration.ofSeconds(60 + LOGINS / 5));

        List<Poll> polls = replicas.sim().polls();
        Map<String, List<Long>> pollTimes = new HashMap<>();
        Map<String, Integer> tokens = new HashMap<>();
        int slowDowns = 0;
        for (Poll poll : polls) {
            if (poll.userCode() == null) continue;
            pollTimes.computeIfAbsent(poll.userCode(), c -> new ArrayList<>()).add(poll.atEpochMillis());
            // GitHub answers its errors with 200 too: a token is a 200 without an error.
            if (poll.httpStatus() == 200 && poll.error() == null) tokens.merge(poll.userCode(), 1, Integer::sum);
            if ("slow_down".equals(poll.error())) slowDowns++;
        }
        int intervalViolations = 0;
        for (List<Long> times : pollTimes.values()) {
            times.sort(null);
            for (int i = 1; i < times.size(); i++) {
                if (times.get(i) - times.get(i - 1) < INTERVAL_SECONDS * 1_000L) intervalViolations++;
            }
        }
        long firstRevival = logins.stream()
                .filter(login -> heldByDead.contains(login.session()))
                .flatMap(login -> pollTimes.get(login.userCode()).stream())
                .filter(at -> at > killedAt + IN_TRANSIT_GRACE_MS)
                .mapToLong(Long::longValue)
                .min()
                .orElse(-1);
        String report = "failover: logins=" + LOGINS + " held_by_dead_at_kill=" + heldByDead.size()
                + " failover_ms=" + (firstRevival < 0 ? "none" : firstRevival - killedAt)
                + " connected=" + logins.size()
                + " all_connected_after_kill_ms=" + (lastConnectedAt - killedAt)
                + " tokens_per_login=" + new HashSet<>(tokens.values())
                + " device_tokens_issued=" + replicas.sim().grantCounts().deviceTokensIssued()
                + " interval_violations=" + intervalViolations + " slow_downs=" + slowDowns;
        BenchReport.write(report);

        assertThat(firstRevival)
                .as("a poll of a login the dead replica held, by the survivor")
                .isPositive();
        assertThat(tokens)
                .hasSize(LOGINS)
                .allSatisfy((code, count) -> assertThat(count).as(code).isEqualTo(1));
        assertThat(replicas.sim().grantCounts().deviceTokensIssued()).isEqualTo(LOGINS);
        assertThat(intervalViolations).as(report).isZero();
        assertThat(slowDowns).as(report).isZero();
        assertThat(expect(200, survivor.send("GET", "/v1/credentials", null))
                        .json()
                        .path("credentials"))
                .hasSize(LOGINS);
        assertThat(dying.log()).contains("scheduler " + deadName + " started");
    }

    private String githubProvider(String name) {
        return "{\"name\":\"" + name + "\",\"type\":\"github\",\"client_id\":\"cid\",\"base_url\":\""
                + replicas.sim().baseUrl() + "\",\"host\":\"" + name + ".example.test\"}";
    }
}
