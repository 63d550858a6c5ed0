import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An open-loop load generator, JDK only, for bench/relay.sh: GETs one URL per target at a fixed rate, whether or
 * not earlier answers have come, and times each request from the moment it was due (so a stall counts against every
 * request it delays: no coordinated omission), with at most {@value #MAX_IN_FLIGHT} requests in flight. Targets take turns in phases (ROUNDS x targets, order alternating per
 * round) so machine load from elsewhere falls on all of them alike; each phase's first WARMUP seconds are not kept.
 *
 * <p>Run with the single-file launcher: {@code java OpenLoad.java RATE SECONDS WARMUP ROUNDS CA_PEM NAME=URL@HEADER_FILE...}.
 * HEADER_FILE holds the Authorization header's value, so no credential is on the command line. Progress on stderr;
 * stdout: one line per target, {@code NAME count errors p50_ms p90_ms p99_ms max_ms achieved_per_s}.
 */
public final class OpenLoad {
    /** Connections opened before a phase: a few, well under the relay's 16 requests in flight per workspace. */
    private static final int WARM_CONNECTIONS = 4;
    /**
     * Requests in flight at most, per target: the relay's limit per workspace. java.net.http opens a connection for
     * every request that finds none idle, so after a stall an uncapped client opens dozens at once and measures the
     * TLS handshakes it caused; a request due while all are busy waits, and its wait counts in its latency.
     */
    private static final int MAX_IN_FLIGHT = 16;
    /** Requests sent one at a time before a phase, per request/s of its rate: a few seconds of JIT warm-up. */
    private static final int WARM_REQUESTS_PER_RATE = 3;

    private record Target(String name, URI uri, String authorization) {}

    private record Sample(long dueNanos, long latencyNanos, boolean ok) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: java OpenLoad.java RATE SECONDS WARMUP ROUNDS CA_PEM NAME=URL@HEADER_FILE...");
            System.exit(2);
        }
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // what git and the relay speak
                .sslContext(trusting(Path.of(args[4])))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        List<Target> targets = new ArrayList<>();
        for (String spec : Arrays.copyOfRange(args, 5, args.length)) {
            int eq = spec.indexOf('=');
            int at = spec.lastIndexOf('@');
            targets.add(new Target(
                    spec.substring(0, eq),
                    URI.create(spec.substring(eq + 1, at)),
                    Files.readString(Path.of(spec.substring(at + 1))).strip()));
        }
        Map<String, List<Long>> kept = new LinkedHashMap<>();
        Map<String, int[]> errors = new LinkedHashMap<>();
        Map<String, Double> achieved = new LinkedHashMap<>();
        for (Target t : targets) {
            kept.put(t.name(), new ArrayList<>());
            errors.put(t.name(), new int[1]);
        }
        for (int round = 1; round <= rounds; round++) {
            List<Target> order = new ArrayList<>(targets);
            if (round % 2 == 0) java.util.Collections.reverse(order);
            for (Target t : order) {
                warm(client, t, rate);
                List<Sample> phase = phase(client, t, rate, seconds + warmup);
                long keepFrom = phase.isEmpty() ? 0 : phase.getFirst().dueNanos() + TimeUnit.SECONDS.toNanos(warmup);
                List<Long> latencies = new ArrayList<>();
                int failed = 0;
                for (Sample s : phase) {
                    if (s.dueNanos() < keepFrom) continue;
                    if (s.ok()) latencies.add(s.latencyNanos());
                    else failed++;
                }
                kept.get(t.name()).addAll(latencies);
                errors.get(t.name())[0] += failed;
                achieved.merge(t.name(), (latencies.size() + failed) / (double) seconds, Double::sum);
                long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
                System.err.printf(
                        "openload: round %d %-7s %5d requests, %d errors, p50 %.2f ms, p99 %.2f ms%n",
                        round, t.name(), sorted.length, failed, ms(percentile(sorted, 50)), ms(percentile(sorted, 99)));
            }
        }
        for (Target t : targets) {
            long[] sorted = kept.get(t.name()).stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(
                    "%s %d %d %.3f %.3f %.3f %.3f %.1f%n",
                    t.name(),
                    sorted.length,
                    errors.get(t.name())[0],
                    ms(percentile(sorted, 50)),
                    ms(percentile(sorted, 90)),
                    ms(percentile(sorted, 99)),
                    ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]),
                    achieved.get(t.name()) / rounds);
        }
    }

    /**
     * Before the clock starts: {@code 3 * rate} requests one at a time (the JIT, pooled TLS sessions), then a few at once,
     * so the pool holds some open connections. Otherwise the first second's requests each open a connection, and the
     * TLS handshakes of a cold pool are what gets measured.
     */
    private static void warm(HttpClient client, Target target, int rate) throws Exception {
        HttpRequest request = request(target);
        for (int i = 0; i < WARM_REQUESTS_PER_RATE * rate; i++)
            client.send(request, HttpResponse.BodyHandlers.discarding());
        List<CompletableFuture<?>> burst = new ArrayList<>();
        for (int i = 0; i < WARM_CONNECTIONS; i++)
            burst.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).join();
    }

    private static HttpRequest request(Target target) {
        return HttpRequest.newBuilder(target.uri())
                .header("Authorization", target.authorization())
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
    }

    /** One target at {@code rate} requests/s for {@code seconds}; returns once every request has answered. */
    private static List<Sample> phase(HttpClient client, Target target, int rate, int seconds) throws Exception {
        HttpRequest request = request(target);
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        AtomicInteger unexpected = new AtomicInteger();
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long total = (long) rate * seconds;
        for (long i = 0; i < total; i++) {
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            slots.acquire();
            inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .handle((response, failure) -> {
                        slots.release();
                        boolean ok = response != null && response.statusCode() == 200;
                        if (!ok && unexpected.getAndIncrement() == 0) {
                            System.err.println("openload: " + target.name() + ": "
                                    + (response != null ? "status " + response.statusCode() : failure));
                        }
                        samples.add(new Sample(due, System.nanoTime() - due, ok));
                        return null;
                    }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        List<Sample> sorted = new ArrayList<>(samples);
        sorted.sort((a, b) -> Long.compare(a.dueNanos(), b.dueNanos()));
        return sorted;
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(caPem)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
