package io.authrelay.cli.replicas;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestReplicas;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.GrantCounts;
import io.authrelay.sim.SimOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many refreshable credentials, issued within a few seconds of each other, come due together while both replicas
 * run their scheduled refreshes and a reader asks each replica for every token (an on-demand refresh once a token is
 * stale): the simulator grants exactly one refresh per credential and sees no reuse (it rotates refresh tokens, so a
 * second refresh with the same token would be refused and revoke the family). The size is {@code
 * -Dauthrelay.storm.credentials} (bench/replicas.sh runs 1,000) and the first tokens' lifetime {@code
 * -Dauthrelay.storm.lifetime} seconds.
 */
class RefreshStormTest {
    private static final int CREDENTIALS = Integer.getInteger("authrelay.storm.credentials", 100);
    /**
     * The first tokens' lifetime: the refresh falls due half-way through, which must come after the last of them
     * is issued, since refreshed tokens live an hour (below) and must not be refreshed again.
     */
    private static final int FIRST_LIFETIME_SECONDS = Integer.getInteger("authrelay.storm.lifetime", 60);

    private static final int REFRESHED_LIFETIME_SECONDS = 3_600;
    /** About 100 polls a second in all while the logins wait, whatever the size, so that they connect in one burst. */
    private static final int INTERVAL_SECONDS = Math.max(1, CREDENTIALS / 100);

    @RegisterExtension
    final TestReplicas replicas = TestReplicas.of(2)
            .withSimulator(SimOptions.defaults(Flavor.OIDC)
                    .withIntervalSeconds(INTERVAL_SECONDS)
                    .withCodeLifetimeSeconds(1_800)
                    .withTokenLifetimeSeconds(FIRST_LIFETIME_SECONDS));

    @Test
    void bothReplicasRunningEveryCredentialIsRefreshedExactlyOnce() throws Exception {
        List<Login> logins = Logins.start(replicas, CREDENTIALS, "idp", this::oidcProvider);
        // Approved all at once, so that the first tokens are issued (and fall due) close together.
        for (Login login : logins) replicas.sim().approve(login.userCode(), "user-" + login.userCode());
        Instant deadline = Instant.now().plusSeconds(60 + CREDENTIALS / 10 + INTERVAL_SECONDS);
        while (replicas.sim().grantCounts().deviceTokensIssued() < CREDENTIALS
                && Instant.now().isBefore(deadline)) {
            TestBroker.pause(100);
        }
        replicas.sim().setTokenLifetimeSeconds(REFRESHED_LIFETIME_SECONDS);
        long issuedAt = System.currentTimeMillis();
        Logins.awaitAllConnected(replicas.replica(0), logins, Duration.ofSeconds(60));
        assertThat(replicas.sim().grantCounts().deviceTokensIssued()).isEqualTo(CREDENTIALS);
        assertThat(replicas.sim().grantCounts().refreshGrantsSucceeded())
                .as("a refresh came before the last first token: raise -Dauthrelay.storm.lifetime")
                .isZero();
        Map<String, String> firstTokens = new ConcurrentHashMap<>();
        for (Login login : logins) firstTokens.put(login.provider(), token(replicas.replica(0), login.provider()));

        Map<String, String> lastTokens = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        try (ExecutorService readers = Executors.newFixedThreadPool(replicas.size())) {
            List<Future<?>> reading = java.util.stream.IntStream.range(0, replicas.size())
                    .<Future<?>>mapToObj(i -> readers.submit(() -> {
                        while (!done.get()) {
                            for (Login login : logins) {
                                lastTokens.put(login.provider(), token(replicas.replica(i), login.provider()));
                            }
                        }
                    }))
                    .toList();
            Instant dueBy = Instant.now().plusSeconds(FIRST_LIFETIME_SECONDS + 30 + CREDENTIALS / 10);
            while (replicas.sim().grantCounts().refreshGrantsSucceeded() < CREDENTIALS
                    && Instant.now().isBefore(dueBy)) {
                TestBroker.pause(200);
            }
            long allRefreshedAt = System.currentTimeMillis();
            TestBroker.pause(3_000); // a late second refresh would show in the counts below
            done.set(true);
            for (Future<?> reader : reading) reader.get();

            GrantCounts counts = replicas.sim().grantCounts();
            BenchReport.write("refresh-storm: credentials=" + CREDENTIALS + " first_lifetime_s="
                    + FIRST_LIFETIME_SECONDS + " refresh_grants=" + counts.refreshGrantsSucceeded()
                    + " rejected=" + counts.refreshGrantsRejected() + " families_revoked=" + counts.familiesRevoked()
                    + " all_refreshed_after_first_issued_ms=" + (allRefreshedAt - issuedAt));
            assertThat(counts.refreshGrantsSucceeded()).isEqualTo(CREDENTIALS);
            assertThat(counts.refreshGrantsRejected()).isZero();
            assertThat(counts.familiesRevoked()).isZero();
        }
        // Each credential got a new token, so the one refresh each was its own.
        for (Login login : logins) {
            String now = token(replicas.replica(1), login.provider());
            assertThat(now).as(login.provider()).isNotEqualTo(firstTokens.get(login.provider()));
            assertThat(lastTokens.get(login.provider())).as(login.provider()).isEqualTo(now);
        }
    }

    private String oidcProvider(String name) {
        return "{\"name\":\"" + name + "\",\"type\":\"oidc-device\",\"client_id\":\"cid\",\"issuer\":\""
                + replicas.sim().issuer() + "\",\"host\":\"" + name + ".example.test\"}";
    }

    private static String token(TestBroker replica, String provider) {
        return expect(200, replica.send("POST", "/v1/credentials/" + provider + "/token", "{}"))
                .json()
                .path("token")
                .asString();
    }
}
