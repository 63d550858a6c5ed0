import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.SimOptions;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Counts requests that fail at the transport level ("HTTP/1.1 header parser received no bytes", resets) when the
 * daemon answers before it has read the request body. See bench/closed-connection.sh.
 *
 * <ul>
 *   <li>{@code token N DELAY_MS}: N token requests (the route ignores its body "{}") on one kept-alive JDK client,
 *       each body sent DELAY_MS after the headers, against a daemon in this JVM;
 *   <li>{@code oversized N}: N 70 KB bodies (refused with 413 before they are read), each after a small 400, on one
 *       kept-alive JDK client;
 *   <li>{@code crash ROUNDS LOGINS DELAY_MS}: CrashRecoveryTest in a loop against a daemon process: LOGINS device-flow
 *       logins, SIGKILL, approval at the simulator, restart (the daemon resumes and completes them), then every
 *       provider's token at once, bodies DELAY_MS late (negative: as the JDK client sends them).
 * </ul>
 */
public class Repro {
    public static void main(String[] args) throws Exception {
        int failures = switch (args[0]) {
            case "token" -> token(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            case "oversized" -> oversized(Integer.parseInt(args[1]));
            case "crash" -> crash(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
            default -> throw new IllegalArgumentException("token, oversized or crash");
        };
        System.out.println("RESULT " + String.join(" ", args) + ": " + failures + " transport failures");
    }

    static int token(int n, long delayMs) throws Exception {
        try (TestBroker d = TestBroker.inProcess().open()) {
            d.addStaticProvider("gh", "git.example.test", "s3cret-value");
            int failures = 0;
            for (int i = 0; i < n; i++) failures += tokenFails(d, "gh", delayMs);
            return failures;
        }
    }

    static int oversized(int n) throws Exception {
        try (TestBroker d = TestBroker.inProcess().open()) {
            String big = "{\"name\":\"" + "a".repeat(70_000) + "\"}";
            int failures = 0;
            for (int i = 0; i < n; i++) {
                TestBroker.expect(400, d.send("POST", "/v1/providers", "{not json"));
                try {
                    TestBroker.expect(413, d.send("POST", "/v1/providers", big));
                } catch (UncheckedIOException e) {
                    failures++;
                    System.out.println(i + ": " + e.getCause());
                }
            }
            return failures;
        }
    }

    static int crash(int rounds, int logins, long delayMs) throws Exception {
        SimOptions sim = SimOptions.defaults(Flavor.GITHUB).withIntervalSeconds(1).withCodeLifetimeSeconds(3600);
        try (TestBroker broker = TestBroker.process().withSimulator(sim).open()) {
            int failures = 0;
            for (int round = 1, created = 0; round <= rounds; round++) {
                List<String> names = new ArrayList<>(), codes = new ArrayList<>(), sessions = new ArrayList<>();
                for (int i = 0; i < logins; i++, created++) {
                    String name = "gh" + created;
                    TestBroker.expect(201, broker.send("POST", "/v1/providers", "{\"name\":\"" + name
                            + "\",\"type\":\"github\",\"client_id\":\"cid\",\"base_url\":\"" + broker.sim().baseUrl()
                            + "\",\"host\":\"" + name + ".example.test\"}"));
                    var login = broker.send("POST", "/v1/logins", "{\"provider\":\"" + name + "\"}").json();
                    names.add(name);
                    sessions.add(login.path("session").asString());
                    codes.add(login.path("user_code").asString());
                }
                TestBroker.pause(2_500);
                broker.kill();
                for (String code : codes) broker.sim().approve(code, "user-" + code);
                broker.start();
                for (String session : sessions) broker.awaitLoginEnd(session, Duration.ofSeconds(60));
                int before = failures;
                for (String name : names) failures += tokenFails(broker, name, delayMs);
                System.out.println("round " + round + ": " + (failures - before) + "/" + logins + " failed");
            }
            return failures;
        }
    }

    private static int tokenFails(TestBroker d, String provider, long delayMs) {
        String path = "/v1/credentials/" + provider + "/token";
        try {
            TestBroker.expect(200, delayMs < 0
                    ? d.send("POST", path, "{}")
                    : d.send(d.request("POST", path, null, d.adminToken())
                            .POST(late("{}", delayMs))
                            .header("Content-Type", "application/json")));
            return 0;
        } catch (UncheckedIOException e) {
            System.out.println(provider + ": " + e.getCause());
            return 1;
        }
    }

    /** A body written DELAY_MS after the headers, as a loaded client's second write is. */
    private static HttpRequest.BodyPublisher late(String body, long delayMs) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return bytes.length;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    private boolean sent;

                    @Override
                    public void request(long n) {
                        if (sent) return;
                        sent = true;
                        CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS).execute(() -> {
                            subscriber.onNext(ByteBuffer.wrap(bytes));
                            subscriber.onComplete();
                        });
                    }

                    @Override
                    public void cancel() {}
                });
            }
        };
    }
}
