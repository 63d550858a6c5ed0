import com.pty4j.PtyProcessBuilder;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Helper of bench/cli-login.sh (compiled against dist/lib for Jackson and pty4j). The fake CLI prints a URL that ends
 * in "t=$EPOCHREALTIME", the wall-clock time (µs) of its own print, then waits on stdin; every latency here is
 * measured from that print, so the CLI's start-up is never part of it.
 *
 *   providers DAEMON_URL TOKEN_FILE TYPE PREFIX COUNT
 *       adds providers PREFIX1..PREFIXn of the driver TYPE (from providers.yaml).
 *   latency DAEMON_URL TOKEN_FILE PREFIX LOGINS CONCURRENCY POLL_MS
 *       CONCURRENCY workers (worker i uses provider PREFIX{i+1}) each start a login, GET /v1/logins/{id} every
 *       POLL_MS until verification_uri shows, and cancel it; "visible" is the receipt of the first GET that shows it,
 *       "capture" the session's updated_at (the daemon's clock when it is about to write the URL).
 *   baseline pty|pipe SCRIPT LOGINS CONCURRENCY
 *       the same script under a bare reader in this JVM (pty4j or ProcessBuilder): print to the bytes read.
 *   hold DAEMON_URL TOKEN_FILE PREFIX FROM TO
 *       starts logins for PREFIX{FROM..TO} and returns once every one shows its URL; prints the session ids.
 *   cancel DAEMON_URL TOKEN_FILE SESSIONS_FILE
 *       cancels those sessions and waits until each has ended.
 *
 * Results are key=value lines on stdout. The admin token is read from TOKEN_FILE; it is never on a command line.
 */
public final class CliLoginBench {
    private static final Pattern PRINTED_AT = Pattern.compile("[?&]t=(\\d+)[.,](\\d{6})");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "providers" -> new Api(args[1], Path.of(args[2])).providers(args[3], args[4], Integer.parseInt(args[5]));
            case "latency" -> new Api(args[1], Path.of(args[2])).latency(
                    args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            case "baseline" -> baseline(args[1].equals("pty"), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "hold" -> new Api(args[1], Path.of(args[2])).hold(args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            case "cancel" -> new Api(args[1], Path.of(args[2])).cancelAll(Files.readAllLines(Path.of(args[3])));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /** Wall-clock microseconds, the scale of bash's EPOCHREALTIME. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** An instant of the API (ISO-8601 text, or epoch milliseconds) in µs. */
    static long micros(JsonNode instant) {
        if (instant.isNumber()) return instant.asLong() * 1_000;
        Instant at = Instant.parse(instant.asString());
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    }

    static long printedAt(String text) {
        Matcher m = PRINTED_AT.matcher(text);
        if (!m.find()) return -1;
        return Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2));
    }

    /** One measurement by worker w: a sample (one value in µs per column), or null when it failed. */
    interface Measurement {
        long[] once(int worker) throws Exception;
    }

    /**
     * LOGINS measurements, CONCURRENCY at a time, after WARMUP (system property, default 20) uncounted ones one at a
     * time; p50/p99/max of each column in ms.
     */
    static void run(int logins, int concurrency, Measurement measurement, String... columns) throws Exception {
        for (int i = 0; i < Integer.getInteger("warmup", 20); i++) measurement.once(0);
        AtomicInteger next = new AtomicInteger();
        LongAdder failed = new LongAdder();
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers.add(Thread.ofPlatform().start(() -> {
                while (next.getAndIncrement() < logins) {
                    try {
                        long[] sample = measurement.once(worker);
                        if (sample == null) failed.increment();
                        else samples.add(sample);
                    } catch (Exception e) {
                        failed.increment();
                        System.err.println("bench: " + e);
                    }
                }
            }));
        }
        for (Thread t : workers) t.join();
        System.out.printf("n=%d%nfailed=%d%nelapsed_s=%.1f%n", samples.size(), failed.sum(), (System.nanoTime() - start) / 1e9);
        for (int c = 0; c < columns.length; c++) {
            int column = c;
            long[] values = samples.stream().mapToLong(s -> s[column]).sorted().toArray();
            System.out.printf("%s_p50_ms=%.2f%n%s_p99_ms=%.2f%n%s_max_ms=%.2f%n", columns[c], pct(values, 50) / 1e3,
                    columns[c], pct(values, 99) / 1e3, columns[c], values.length == 0 ? 0 : values[values.length - 1] / 1e3);
        }
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** The floor: the fake CLI under a reader that does nothing but read, in a PTY or on pipes. */
    static void baseline(boolean pty, Path script, int logins, int concurrency) throws Exception {
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "TERM", "xterm-256color", "HOME", "/tmp");
        run(logins, concurrency, worker -> {
            Process p = pty
                    ? new PtyProcessBuilder(new String[] {script.toString()}).setEnvironment(env).setRedirectErrorStream(true)
                            .setConsole(false).start()
                    : new ProcessBuilder(script.toString()).start();
            try {
                StringBuilder seen = new StringBuilder();
                byte[] buffer = new byte[8192];
                InputStream in = p.getInputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    long arrived = nowMicros();
                    seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    int eol = seen.indexOf("\n");
                    if (eol >= 0) {
                        long printed = printedAt(seen.substring(0, eol));
                        return printed < 0 ? null : new long[] {arrived - printed};
                    }
                }
                return null;
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }, "print_to_read");
    }

    /** The daemon's HTTP API, as the admin. */
    static final class Api {
        private final String base;
        private final String auth;
        private final HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        Api(String base, Path tokenFile) throws Exception {
            this.base = base;
            this.auth = "Bearer " + Files.readString(tokenFile).strip();
        }

        HttpResponse<String> send(String method, String path, String body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                    .header("Authorization", auth).header("Content-Type", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        void providers(String type, String prefix, int count) throws Exception {
            for (int i = 1; i <= count; i++) {
                HttpResponse<String> r = send("POST", "/v1/providers", "{\"name\":\"" + prefix + i + "\",\"type\":\"" + type + "\"}");
                if (r.statusCode() != 201) throw new IllegalStateException("adding " + prefix + i + ": " + r.statusCode() + " " + r.body());
            }
            System.out.printf("providers=%d%n", count);
        }

        /** Starts a login; a 409 means the provider's previous login has not ended yet: asked again shortly. */
        String start(String provider) throws Exception {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                HttpResponse<String> r = send("POST", "/v1/logins", "{\"provider\":\"" + provider + "\"}");
                if (r.statusCode() == 201) return JSON.readTree(r.body()).path("session").asString();
                if (r.statusCode() != 409 || System.nanoTime() > deadline)
                    throw new IllegalStateException("starting " + provider + ": " + r.statusCode() + " " + r.body());
                Thread.sleep(5);
            }
        }

        /** Polls until the URL shows: {visible - printed, the round trip of the GET that showed it} in µs. */
        long[] awaitUrl(String session, int pollMs) throws Exception {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                long sent = nowMicros();
                HttpResponse<String> r = send("GET", "/v1/logins/" + session, null);
                long received = nowMicros();
                JsonNode view = JSON.readTree(r.body());
                String uri = view.path("verification_uri").asString(null);
                if (uri != null && !view.path("verification_uri").isNull()) {
                    long printed = printedAt(uri);
                    if (printed < 0) throw new IllegalStateException("no print time in the captured URL");
                    // updated_at is the capture's own time (ms), taken on the reader thread just before the write
                    long captured = micros(view.path("updated_at"));
                    return new long[] {received - printed, captured - printed, received - sent};
                }
                if (!view.path("status").asString("").matches("pending|awaiting_user"))
                    throw new IllegalStateException("login " + session + " ended before its URL showed: " + view.path("reason"));
                if (pollMs > 0) Thread.sleep(pollMs);
            }
            throw new IllegalStateException("no URL within " + TIMEOUT);
        }

        void cancel(String session) throws Exception {
            send("POST", "/v1/logins/" + session + "/cancel", "{}");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                String status = JSON.readTree(send("GET", "/v1/logins/" + session, null).body()).path("status").asString("");
                if (!status.matches("pending|awaiting_user")) return;
                Thread.sleep(20);
            }
            throw new IllegalStateException("login " + session + " did not end after its cancel");
        }

        void latency(String prefix, int logins, int concurrency, int pollMs) throws Exception {
            run(logins, concurrency, worker -> {
                String session = start(prefix + (worker + 1));
                try {
                    return awaitUrl(session, pollMs);
                } finally {
                    cancel(session);
                }
            }, "print_to_visible", "print_to_capture", "get_round_trip");
        }

        void hold(String prefix, int from, int to) throws Exception {
            List<String> sessions = new ArrayList<>();
            for (int i = from; i <= to; i++) sessions.add(start(prefix + i));
            for (String session : sessions) awaitUrl(session, 50);
            sessions.forEach(System.out::println);
        }

        void cancelAll(List<String> sessions) throws Exception {
            for (String session : sessions) send("POST", "/v1/logins/" + session + "/cancel", "{}");
            for (String session : sessions) cancel(session);
        }
    }

    private CliLoginBench() {}
}
