package io.authrelay.server.workspace;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.server.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The vend path keeps rows and opened secrets in memory; none of that may outlive a change. Each change below is made
 * while the cache is warm (the same vend answered just before), and the very next vend must see it; the races check
 * that no vend sent after the change returned is answered from before it. On SQLite and on PostgreSQL.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class VendCacheExactnessTest {
    private static final String HOST = "a.git.test";

    @RegisterExtension
    final TestBroker d;

    private final ExecutorService vendors = Executors.newFixedThreadPool(4);

    private final TestDatabase database;

    VendCacheExactnessTest(TestDatabase database) {
        this.database = database;
        d = TestBroker.inProcess().on(database);
    }

    @BeforeEach
    void providers() {
        expect(
                201,
                d.send(
                        "POST",
                        "/v1/providers",
                        "{\"name\":\"giteaa\",\"type\":\"static\",\"host\":\"" + HOST + "\",\"username\":\"bot\"}"));
        // A second grant, so that taking giteaa away leaves the workspace one (a workspace needs at least one).
        expect(
                201,
                d.send("POST", "/v1/providers", "{\"name\":\"giteab\",\"type\":\"static\",\"host\":\"b.git.test\"}"));
    }

    @AfterEach
    void stopVendors() {
        vendors.shutdownNow();
    }

    @Test
    void aReplacedSecretIsVendedAtOnceAndTheOldOneNeverAgain() {
        String token = d.createWorkspace("wsa", "giteaa", "giteab");
        for (int i = 0; i < 5; i++) {
            String secret = setSecret();
            assertThat(vendedPassword(token)).isEqualTo(secret);
            assertThat(vendedPassword(token)).isEqualTo(secret); // the second from the warm cache
        }
    }

    @Test
    void aDeletedCredentialIsNotVendedOnTheNextRequest() {
        String token = d.createWorkspace("wsa", "giteaa", "giteab");
        setSecret();
        vendedPassword(token);
        expect(204, d.send("DELETE", "/v1/credentials/giteaa", null));
        assertThat(d.vend(token, HOST, null).status()).isNotEqualTo(200);
        // Set again: the new secret, not one remembered from before the delete.
        String again = setSecret();
        assertThat(vendedPassword(token)).isEqualTo(again);
    }

    @Test
    void anUngrantARevocationAndATokenRotationTakeEffectOnTheNextVend() {
        setSecret();
        String token = d.createWorkspace("wsa", "giteaa", "giteab");
        vendedPassword(token);
        expect(200, d.send("POST", "/v1/workspaces/wsa/ungrant", "{\"grants\":[\"giteaa\"]}"));
        assertThat(d.vend(token, HOST, null).status()).isIn(403, 404);
        expect(200, d.send("POST", "/v1/workspaces/wsa/grants", "{\"grants\":[\"giteaa\"]}"));
        vendedPassword(token);

        String rotated = expect(200, d.send("POST", "/v1/workspaces/wsa/rotate", "{}"))
                .json()
                .path("token")
                .asString();
        assertThat(d.vend(token, HOST, null).status()).isEqualTo(401);
        vendedPassword(rotated);

        expect(200, d.send("POST", "/v1/workspaces/wsa/revoke", "{}"));
        assertThat(d.vend(rotated, HOST, null).status()).isEqualTo(401);
    }

    @Test
    void aKeyRotationChangesNoVendedSecret() {
        // On PostgreSQL keys rotate in two phases across replicas (KeyRotation's own tests); one step here.
        assumeTrue(database == TestDatabase.SQLITE);
        String secret = setSecret();
        String token = d.createWorkspace("wsa", "giteaa", "giteab");
        assertThat(vendedPassword(token)).isEqualTo(secret);
        expect(200, d.send("POST", "/v1/keys/rotate", "{}"));
        assertThat(vendedPassword(token)).isEqualTo(secret);
        String after = setSecret();
        assertThat(vendedPassword(token)).isEqualTo(after);
    }

    @Test
    void noVendSentAfterARevocationReturnedIsAnswered() throws Exception {
        assertNoVendSentAfterIsAnswered(() -> expect(200, d.send("POST", "/v1/workspaces/wsa/revoke", "{}")));
    }

    @Test
    void noVendSentAfterAnUngrantReturnedIsAnswered() throws Exception {
        assertNoVendSentAfterIsAnswered(
                () -> expect(200, d.send("POST", "/v1/workspaces/wsa/ungrant", "{\"grants\":[\"giteaa\"]}")));
    }

    @Test
    void noVendSentAfterASecretWasReplacedGetsTheOldSecret() throws Exception {
        setSecret();
        String token = d.createWorkspace("wsa", "giteaa", "giteab");
        AtomicReference<String> current = new AtomicReference<>();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        List<Future<?>> running = race(() -> {
            String expected = current.get();
            Reply reply = d.vend(token, HOST, null);
            String got = reply.json().path("password").asString();
            if (expected != null && !expected.equals(got)) violations.add("a vend after the change got another secret");
            return expected != null;
        });
        String changed = "secret-" + UUID.randomUUID();
        expect(200, d.send("PUT", "/v1/credentials/giteaa", "{\"secret\":\"" + changed + "\"}"));
        current.set(changed);
        finish(running);
        assertThat(violations).isEmpty();
    }

    /** Vends race {@code change}: none sent after it returned may be answered 200. */
    private void assertNoVendSentAfterIsAnswered(Runnable change) throws Exception {
        setSecret();
        String token = d.createWorkspace("wsa", "giteaa", "giteab");
        AtomicBoolean changed = new AtomicBoolean();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        List<Future<?>> running = race(() -> {
            boolean sentAfter = changed.get();
            int status = d.vend(token, HOST, null).status();
            if (sentAfter && status == 200) violations.add("answered 200 after the change");
            return sentAfter;
        });
        change.run();
        changed.set(true);
        finish(running);
        assertThat(violations).isEmpty();
    }

    /**
     * A vend in a loop on each of 4 threads, returned once 20 have been answered (so the change lands among vends in
     * flight and a warm cache); each thread runs until it has sent 20 vends after the change.
     */
    private List<Future<?>> race(java.util.concurrent.Callable<Boolean> vendAndCheck) throws InterruptedException {
        java.util.concurrent.CountDownLatch warm = new java.util.concurrent.CountDownLatch(20);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            running.add(vendors.submit(() -> {
                int afterChange = 0;
                while (afterChange < 20) {
                    if (vendAndCheck.call()) afterChange++;
                    warm.countDown();
                }
                return null;
            }));
        }
        assertThat(warm.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return running;
    }

    private static void finish(List<Future<?>> running) throws Exception {
        for (Future<?> f : running) f.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    private String setSecret() {
        String secret = "secret-" + UUID.randomUUID();
        expect(200, d.send("PUT", "/v1/credentials/giteaa", "{\"secret\":\"" + secret + "\"}"));
        return secret;
    }

    private String vendedPassword(String token) {
        return expect(200, d.vend(token, HOST, null)).json().path("password").asString();
    }
}
