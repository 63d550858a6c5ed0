import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Helper of bench/pending-logins.sh (compiled against dist/lib for Jackson):
 *   create providers|logins DAEMON_URL TOKEN_FILE SIM_URL COUNT CONCURRENCY PREFIX
 *       POSTs COUNT providers (PREFIX1..PREFIXn) or one login for each, CONCURRENCY at a time; prints
 *       "ok=N failed=N elapsed_ms=N per_s=N statuses={..}" on stdout.
 *   lateness SIM_URL FROM_MS TO_MS EXPECTED_MS PREFIX_FILE|-
 *       reads the simulator's poll log, pairs consecutive device-code polls of each user code, and prints
 *       key=value lines for the gaps that end in [FROM_MS, TO_MS): lateness = gap - EXPECTED_MS.
 *       With a file of user codes (one a line), only those codes count.
 * The admin token is read from TOKEN_FILE into a header; it never appears on a command line.
 */
public final class Bench {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "create" -> create(args[1], args[2], Path.of(args[3]), args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6]), args[7]);
            case "lateness" -> lateness(args[1], Long.parseLong(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]), args[5]);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static void create(String what, String daemon, Path tokenFile, String sim, int count, int concurrency, String prefix) throws Exception {
        String auth = "Bearer " + Files.readString(tokenFile).strip();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger next = new AtomicInteger(1);
        LongAdder ok = new LongAdder();
        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = next.getAndIncrement(); i <= count; i = next.getAndIncrement()) {
                    String name = prefix + i;
                    String body = what.equals("providers")
                            ? "{\"name\":\"" + name + "\",\"type\":\"github\",\"client_id\":\"bench\",\"base_url\":\"" + sim
                                + "\",\"host\":\"" + name + ".bench.test\"}"
                            : "{\"provider\":\"" + name + "\"}";
                    String path = what.equals("providers") ? "/v1/providers" : "/v1/logins";
                    String status;
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(daemon + path)).timeout(Duration.ofSeconds(60))
                                .header("Authorization", auth).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        status = Integer.toString(r.statusCode());
                        if (r.statusCode() == 201) ok.increment();
                    } catch (Exception e) {
                        status = e.getClass().getSimpleName();
                    }
                    statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                }
            }));
        }
        for (Thread t : workers) t.join();
        long ms = (System.nanoTime() - start) / 1_000_000;
        Map<String, Long> st = new TreeMap<>();
        statuses.forEach((k, v) -> st.put(k, v.sum()));
        System.out.printf("ok=%d failed=%d elapsed_ms=%d per_s=%.0f statuses=%s%n", ok.sum(), count - ok.sum(), ms,
                count * 1000.0 / Math.max(1, ms), st.toString().replace(" ", ""));
    }

    static void lateness(String sim, long from, long to, long expected, String codesFile) throws Exception {
        java.util.Set<String> only = codesFile.equals("-") ? null : new java.util.HashSet<>(Files.readAllLines(Path.of(codesFile)));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // Polls before FROM are needed as the first of a pair: fetch from one generous interval earlier.
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(sim + "/sim/polls?since=" + (from - 180_000))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException("/sim/polls answered " + r.statusCode());
        JsonNode polls = JsonMapper.builder().build().readTree(r.body()).get("polls");
        Map<String, List<long[]>> byCode = new HashMap<>();
        Map<String, Long> errors = new TreeMap<>();
        long inWindow = 0;
        java.util.Set<String> codesInWindow = new java.util.HashSet<>();
        for (JsonNode p : polls) {
            String code = p.path("user_code").isNull() ? null : p.path("user_code").asString(null);
            if (code == null || !p.path("grant_type").asString("").endsWith("device_code")) continue;
            if (only != null && !only.contains(code)) continue;
            long at = p.get("at").asLong();
            String error = p.path("error").isNull() ? "none" : p.path("error").asString("none");
            byCode.computeIfAbsent(code, k -> new ArrayList<>()).add(new long[] {at, error.equals("slow_down") ? 1 : 0});
            if (at >= from && at < to) {
                inWindow++;
                codesInWindow.add(code);
                errors.merge(error, 1L, Long::sum);
            }
        }
        long[] late = new long[(int) inWindow + 16];
        int n = 0;
        for (List<long[]> list : byCode.values()) {
            list.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 1; i < list.size(); i++) {
                long at = list.get(i)[0];
                if (at < from || at >= to) continue;
                if (n == late.length) late = Arrays.copyOf(late, n * 2);
                late[n++] = at - list.get(i - 1)[0] - expected;
            }
        }
        long[] l = Arrays.copyOf(late, n);
        Arrays.sort(l);
        long over1s = Arrays.stream(l).filter(v -> v > 1000).count();
        long early = Arrays.stream(l).filter(v -> v < 0).count();
        System.out.printf("polls=%d%npolls_per_s=%.1f%ncodes_polled=%d%npairs=%d%n", inWindow, inWindow * 1000.0 / (to - from),
                codesInWindow.size(), n);
        System.out.printf("p50=%d%np90=%d%np99=%d%np999=%d%nmax=%d%nmin=%d%nmean=%.1f%nover_1s=%d%nearly=%d%n",
                pct(l, 50), pct(l, 90), pct(l, 99), pct(l, 99.9), n == 0 ? 0 : l[n - 1], n == 0 ? 0 : l[0],
                Arrays.stream(l).average().orElse(0), over1s, early);
        System.out.printf("slow_down=%d%nresponses=%s%n", errors.getOrDefault("slow_down", 0L), errors.toString().replace(" ", ""));
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
