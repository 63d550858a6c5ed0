package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.authrelay.server.testing.TestBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * git through the credential relay, over TLS, to the real authenticating forge (git http-backend) that accepts only
 * the broker's token: {@code setup-git --relay} writes the rewrite, real git clones, pushes (a 50 MB pack) and
 * fetches, and neither the workspace's environment nor its git config ever holds the provider token. Then the relay
 * is attacked: unconfigured and lookalike hosts, encoded separators and dot segments, smuggled credentials, a
 * redirect to another host, a revoked workspace.
 */
class GitRelayTest {
    private static final Path CERTS;
    private static final TestCertificate CERTIFICATE;

    static {
        try {
            CERTS = Files.createTempDirectory("relay-tls");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CERTIFICATE = TestCertificate.create(CERTS);
    }

    /** The broker serves TLS with the forge's certificate and trusts it upstream: one CA file for the whole test. */
    @RegisterExtension
    final TestBroker broker = TestBroker.process()
            .withTls(CERTIFICATE.pem(), CERTIFICATE.keyPem(), CERTIFICATE.trustContext(), CERTIFICATE.pem())
            .withDaemonEnv("AUTHRELAY_PROVIDER_CA_FILE", CERTIFICATE.pem().toString());

    @RegisterExtension
    final GitWorld world = new GitWorld(broker, CERTIFICATE);

    private final HttpClient http = HttpClient.newBuilder()
            .sslContext(CERTIFICATE.trustContext())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Test
    void gitClonesPushesALargePackAndFetchesThroughTheRelayWithoutEverHoldingTheProviderToken() throws Exception {
        GitHttpServer forge = world.forge();
        String secret = world.secretForge("forge");
        String token = world.workspace("agent", "forge=" + forge.host() + "/repo");
        Map<String, String> env = world.relayedGit(token, forge.host());
        String config = Files.readString(Path.of(env.get("GIT_CONFIG_GLOBAL")));
        assertThat(config)
                .contains("[url \"" + broker.url() + "/relay/git/" + forge.host() + "/\"]")
                .contains("insteadOf = https://" + forge.host() + "/")
                .contains("sslCAInfo = " + CERTIFICATE.pem())
                .contains("git-credential-authrelay --relay")
                .doesNotContain(token)
                .doesNotContain(secret);

        Path tmp = world.dir();
        GitWorld.Run clone = world.git(env, tmp, "clone", "-q", forge.url("repo.git"), "work");
        assertThat(clone.exit()).as(clone.err()).isZero();
        Path work = tmp.resolve("work");
        Path big = work.resolve("big.bin");
        byte[] chunk = new byte[1 << 20];
        SecureRandom random = new SecureRandom();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 52; i++) { // 52 MiB of random bytes: the pack cannot be smaller than 50 MB
                random.nextBytes(chunk);
                sha.update(chunk);
                out.write(chunk);
            }
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        assertThat(world.git(env, work, "add", "big.bin").exit()).isZero();
        assertThat(world.git(env, work, "commit", "-q", "-m", "big").exit()).isZero();
        Instant pushStart = Instant.now();
        GitWorld.Run push = world.git(env, work, "push", "-q", "origin", "HEAD:main");
        Duration pushTook = Duration.between(pushStart, Instant.now());
        assertThat(push.exit()).as(push.err()).isZero();

        Instant cloneStart = Instant.now();
        GitWorld.Run second = world.git(env, tmp, "clone", "-q", forge.url("repo.git"), "second");
        Duration cloneTook = Duration.between(cloneStart, Instant.now());
        assertThat(second.exit()).as(second.err()).isZero();
        byte[] cloned = Files.readAllBytes(tmp.resolve("second/big.bin"));
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cloned)))
                .isEqualTo(digest);
        GitWorld.Run fetch = world.git(env, work, "fetch", "-q", "origin");
        assertThat(fetch.exit()).as(fetch.err()).isZero();
        // The forge saw only the broker's token, sent by the relay; git only ever talked to the relay.
        assertThat(forge.authorizations).isNotEmpty();
        String expected = "Basic "
                + Base64.getEncoder().encodeToString(("x-access-token:" + secret).getBytes(StandardCharsets.UTF_8));
        assertThat(forge.authorizations).allMatch(expected::equals);
        assertThat(forge.rejected.get()).isZero();

        // Nothing the workspace holds names the provider token: its environment, its git home, its repositories.
        assertThat(String.join("\n", env.values())).doesNotContain(secret);
        try (Stream<Path> files = Files.walk(Path.of(env.get("HOME")))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1))
                        .as(file.toString())
                        .doesNotContain(secret);
            }
        }
        for (String dir : new String[] {"work/.git/config", "second/.git/config"}) {
            assertThat(Files.readString(tmp.resolve(dir)))
                    .doesNotContain(secret)
                    .doesNotContain(token);
        }

        // One audit row per relayed request, with its size; and metrics.
        String audit = broker.send("GET", "/v1/audit?limit=500", null).body();
        assertThat(audit)
                .contains("\"relay\"")
                .contains("POST /relay/git/" + forge.host() + "/repo.git/git-receive-pack status=200");
        assertThat(broker.send("GET", "/metrics", null).body())
                .contains("authrelay_relay_requests_total{status=\"200\"}")
                .contains("authrelay_relay_bytes_total{direction=\"upstream\"}");

        // The same clone without the relay (the helper vends the token to git, after the forge's first 401), for the
        // figure only: no assertion on it.
        Map<String, String> direct = world.env(token, world.javaHelper().toString(), forge);
        direct.put("AUTHRELAY_CA_FILE", CERTIFICATE.pem().toString()); // the helper asks the TLS broker
        Instant directStart = Instant.now();
        GitWorld.Run directClone = world.git(direct, tmp, "clone", "-q", forge.url("repo.git"), "direct");
        Duration directTook = Duration.between(directStart, Instant.now());
        assertThat(directClone.exit()).as(directClone.err()).isZero();
        System.out.printf(
                "relay: 52 MiB push %d ms, clone %d ms; direct clone %d ms%n",
                pushTook.toMillis(), cloneTook.toMillis(), directTook.toMillis());

        // Revoked while a clone streams its pack: the relay cuts it off, then refuses the very next request, and
        // nothing more reaches the forge.
        long fetchesBefore = uploadPackPosts(forge);
        var cut = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> world.git(env, tmp, "clone", "-q", forge.url("repo.git"), "third"));
        Instant waitUntil = Instant.now().plusSeconds(60);
        // protocol v2: ls-refs, then the fetch whose answer is the 52 MiB pack; revoked once a MiB of it has arrived
        while (uploadPackPosts(forge) < fetchesBefore + 2 && Instant.now().isBefore(waitUntil)) TestBroker.pause(20);
        while (receivedPackBytes(tmp.resolve("third")) < 1 << 20
                && Instant.now().isBefore(waitUntil)) {
            TestBroker.pause(10);
        }
        assertThat(cut).isNotDone();
        Instant revokedAt = Instant.now();
        broker.send("POST", "/v1/workspaces/agent/revoke", "{}");
        GitWorld.Run cutOff = cut.get(60, java.util.concurrent.TimeUnit.SECONDS);
        Duration cutTook = Duration.between(revokedAt, Instant.now());
        assertThat(Files.exists(tmp.resolve("third/big.bin"))).isFalse();
        System.out.printf(
                "relay: clone cut off %d ms after the revocation; git said: %s%n", cutTook.toMillis(), cutOff.err());
        assertThat(cutOff.exit()).isNotZero();
        assertThat(cutTook)
                .as("a clone of 52 MiB that was cut off, not finished")
                .isLessThan(cloneTook);
        int before = forge.requests.size();
        GitWorld.Run revoked = world.git(env, work, "fetch", "-q", "origin");
        assertThat(revoked.exit()).isNotZero();
        assertThat(forge.requests).hasSize(before);
        assertThat(broker.log()).doesNotContain(secret).doesNotContain(token);
    }

    /**
     * The POSIX sh helper in place of the Java one ({@code setup-git --relay --sh-helper}), in a BusyBox sandbox without
     * curl or wget: answering for the relay sends nothing to the broker, so BusyBox alone is enough. Real git clones,
     * pushes and fetches through the relay; the helper hands out the workspace token for the broker's exact scheme,
     * host and port, and nothing for any other URL.
     */
    @Test
    void theShHelperGivesGitTheWorkspaceTokenForTheRelayAloneWithBusyBoxOnly() throws Exception {
        GitHttpServer forge = world.forge();
        String secret = world.secretForge("forge");
        String token = world.workspace("agent", "forge=" + forge.host() + "/repo");
        Path helper = world.shHelper();
        Map<String, String> env = world.relayedGit(token, forge.host(), "--sh-helper", helper.toString());
        Path tools = ShHelper.busyboxOnly(world.dir().resolve("busybox"), "curl", "wget");
        Files.createSymbolicLink(tools.resolve("git"), Path.of("/usr/bin/git"));
        env.put("PATH", tools.toString());
        assertThat(Files.readString(Path.of(env.get("GIT_CONFIG_GLOBAL"))))
                .contains("helper = !sh '" + helper + "' --relay")
                .doesNotContain("git-credential-authrelay")
                .doesNotContain(token);

        Path tmp = world.dir();
        GitWorld.Run clone = world.git(env, tmp, "clone", "-q", forge.url("repo.git"), "sh-work");
        assertThat(clone.exit()).as(clone.err()).isZero();
        Path work = tmp.resolve("sh-work");
        Files.writeString(work.resolve("note.txt"), "through the relay, by the sh helper\n");
        assertThat(world.git(env, work, "add", "note.txt").exit()).isZero();
        assertThat(world.git(env, work, "commit", "-q", "-m", "note").exit()).isZero();
        GitWorld.Run push = world.git(env, work, "push", "-q", "origin", "HEAD:main");
        assertThat(push.exit()).as(push.err()).isZero();
        GitWorld.Run again = world.git(env, tmp, "clone", "-q", forge.url("repo.git"), "sh-second");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(tmp.resolve("sh-second/note.txt")).hasContent("through the relay, by the sh helper");
        assertThat(world.git(env, work, "fetch", "-q", "origin").exit()).isZero();
        String expected = "Basic "
                + Base64.getEncoder().encodeToString(("x-access-token:" + secret).getBytes(StandardCharsets.UTF_8));
        assertThat(forge.authorizations).isNotEmpty().allMatch(expected::equals);

        // The helper as git runs it: the token for the broker's URL (written in any case), nothing for anything else.
        URI url = URI.create(this.broker.url());
        String broker = url.getRawAuthority();
        String other = url.getHost() + ":" + (url.getPort() + 1);
        Map<String, String> answers = new java.util.LinkedHashMap<>();
        answers.put("protocol=https\nhost=" + broker + "\n", "username=authrelay\npassword=" + token + "\n");
        answers.put(
                "protocol=https\nhost=" + broker.toUpperCase(java.util.Locale.ROOT) + "\npath=x\n",
                "username=authrelay\npassword=" + token + "\n");
        answers.put(
                "url=" + this.broker.url() + "/relay/git/" + forge.host() + "/repo.git\n",
                "username=authrelay\npassword=" + token + "\n");
        answers.put("protocol=https\nhost=" + forge.host() + "\n", "");
        answers.put("protocol=http\nhost=" + broker + "\n", "");
        answers.put("protocol=https\nhost=" + other + "\n", "");
        answers.put("protocol=https\nhost=" + broker.replace(":", ".:") + "\n", "");
        answers.put("protocol=https\nhost=" + url.getHost() + "\n", "");
        answers.put("protocol=https\nhost=evil.test@" + broker + "\n", "quit=1\n");
        for (var answer : answers.entrySet()) {
            GitWorld.Run run = GitWorld.helper(env, answer.getKey() + "\n", "sh", helper.toString(), "--relay", "get");
            assertThat(run.out()).as(answer.getKey()).isEqualTo(answer.getValue());
            assertThat(run.exit()).as(run.err()).isZero();
        }
        assertThat(GitWorld.helper(
                                env,
                                "protocol=https\nhost=" + broker + "\n\n",
                                "sh",
                                helper.toString(),
                                "--relay",
                                "erase")
                        .out())
                .isEmpty();
    }

    /** What git has written of the pack it is receiving (its {@code tmp_pack_*} file), 0 before it starts. */
    private static long receivedPackBytes(Path clone) {
        try (Stream<Path> files = Files.walk(clone)) {
            return files.filter(f -> f.getFileName().toString().startsWith("tmp_pack_"))
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        } catch (IOException | UncheckedIOException stillBeingMade) {
            return 0;
        }
    }

    private static long uploadPackPosts(GitHttpServer forge) {
        return forge.requests.stream()
                .filter(r -> r.startsWith("POST ") && r.contains("/git-upload-pack "))
                .count();
    }

    private HttpResponse<String> relay(String method, String path, String token, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(broker.url() + path))
                .method(
                        method,
                        method.equals("POST")
                                ? HttpRequest.BodyPublishers.ofString("0000")
                                : HttpRequest.BodyPublishers.noBody());
        if (token != null) request.header("Authorization", basic(token));
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String token) {
        return "Basic " + Base64.getEncoder().encodeToString(("authrelay:" + token).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theRelayIsNoOpenProxy() throws Exception {
        GitHttpServer forge = world.forge();
        String secret = world.secretForge("forge");
        String token = world.workspace("agent", "forge=" + forge.host() + "/repo");
        String refs = "/repo.git/info/refs?service=git-upload-pack";
        String host = forge.host();
        int port = forge.port();

        assertThat(relay("GET", "/relay/git/" + host + refs, token).statusCode())
                .isEqualTo(200);
        int reached = forge.requests.size();

        // No token, a wrong one, or two Authorization headers: a Basic challenge, nothing forwarded.
        HttpResponse<String> anonymous = relay("GET", "/relay/git/" + host + refs, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"authrelay relay\"");
        assertThat(relay("GET", "/relay/git/" + host + refs, "arw_wrong").statusCode())
                .isEqualTo(401);
        assertThat(relay("GET", "/relay/git/" + host + refs, token, "Authorization", "Bearer " + token)
                        .statusCode())
                .isEqualTo(401);

        // Hosts: unconfigured, lookalikes (case, trailing dot, another port, port spelt otherwise, unicode, userinfo).
        for (String other : new String[] {
            "github.com",
            "localhost:" + port,
            "127.0.0.1:" + (port == 65535 ? port - 1 : port + 1),
            "127.0.0.1:0" + port,
            "127.0.0.1.:" + port,
            "127.0.0.1:" + port + ".",
            "LOCALHOST:" + port,
            "127.0.0.1%3A" + port,
            "%EF%BC%91%EF%BC%92%EF%BC%97.0.0.1:" + port,
            "x%40127.0.0.1:" + port,
        }) {
            HttpResponse<String> refused = relay("GET", "/relay/git/" + other + refs, token);
            assertThat(refused.statusCode()).as(other + ": " + refused.body()).isIn(400, 403, 404);
        }
        // Paths: outside the grant, encoded separators (either case), dot segments, NUL, empty segments, non-git.
        for (String path : new String[] {
            "/other.git/info/refs?service=git-upload-pack",
            "/repo.git%2F..%2Fother.git/info/refs?service=git-upload-pack",
            "/repo.git%2f..%2fother.git/info/refs?service=git-upload-pack",
            "/repo%5Cx.git/info/refs?service=git-upload-pack",
            "/repo%5cx.git/info/refs?service=git-upload-pack",
            "/x/../repo.git/info/refs?service=git-upload-pack",
            "/./repo.git/info/refs?service=git-upload-pack",
            "/repo%00.git/info/refs?service=git-upload-pack",
            "//repo.git/info/refs?service=git-upload-pack",
            "/repo%2Egit/info/refs?service=git-upload-pack",
            "/repo.git/info/refs?service=evil",
            "/repo.git/HEAD",
            "/repo.git/objects/info/packs",
        }) {
            HttpResponse<String> refused = relay("GET", "/relay/git/" + host + path, token);
            assertThat(refused.statusCode()).as(path + ": " + refused.body()).isIn(400, 403, 404);
        }
        // A web page's request, even one carrying the token (a page cannot read it, but a browser may have it cached).
        for (String[] mark : new String[][] {
            {"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"}, {"Origin", "https://evil.test"}
        }) {
            HttpResponse<String> refused = relay("GET", "/relay/git/" + host + refs, token, mark[0], mark[1]);
            assertThat(refused.statusCode()).as(mark[1]).isEqualTo(403);
            assertThat(refused.body()).contains("browser_request_refused");
        }
        assertThat(forge.requests).as("nothing refused reached the forge").hasSize(reached);

        // The forge stops accepting the broker's token: its 401 is passed on, without its challenge, and recorded.
        forge.acceptedPassword.set("something-else");
        HttpResponse<String> rejected = relay("GET", "/relay/git/" + host + refs, token);
        assertThat(rejected.statusCode()).isEqualTo(401);
        assertThat(rejected.headers().allValues("WWW-Authenticate")).isEmpty();
        Instant deadline = Instant.now().plusSeconds(10);
        while (!broker.send("GET", "/v1/audit", null).body().contains("vend.rejected")
                && Instant.now().isBefore(deadline)) TestBroker.pause(100);
        assertThat(broker.send("GET", "/v1/audit", null).body()).contains("vend.rejected");
        forge.acceptedPassword.set(secret);

        // Smuggled credentials are stripped: the forge sees the broker's Authorization and none of these.
        HttpResponse<String> smuggled = relay(
                "GET",
                "/relay/git/" + host + refs,
                token,
                "Proxy-Authorization",
                "Basic c211Z2dsZWQ6c211Z2dsZWQ=",
                "Cookie",
                "session=smuggled-cookie",
                "X-Auth-Token",
                "smuggled-x-token",
                "Private-Token",
                "smuggled-private-token",
                "X-Forwarded-For",
                "10.9.9.9");
        assertThat(smuggled.statusCode()).isEqualTo(200);
        String seen = String.join("\n", forge.requests);
        assertThat(seen)
                .doesNotContain("smuggled")
                .doesNotContain("c211Z2dsZWQ")
                .doesNotContain("10.9.9.9")
                .doesNotContain(token);
        assertThat(forge.authorizations)
                .allMatch(a -> a.equals("Basic "
                        + Base64.getEncoder()
                                .encodeToString(("x-access-token:" + secret).getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aRedirectToAnotherHostIsNeitherFollowedNorPassedOnAndCookiesAndChallengesStayBehind() throws Exception {
        AtomicInteger elsewhere = new AtomicInteger();
        HttpsServer other = tlsServer(exchange -> {
            elsewhere.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        HttpsServer redirecting = tlsServer(exchange -> {
            exchange.getResponseHeaders()
                    .add("Location", "https://127.0.0.1:" + other.getAddress().getPort() + exchange.getRequestURI());
            exchange.getResponseHeaders().add("Set-Cookie", "upstream-session=leaked");
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"upstream\"");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        try {
            String host = "127.0.0.1:" + redirecting.getAddress().getPort();
            broker.send(
                    "POST",
                    "/v1/providers",
                    "{\"name\":\"moved\",\"type\":\"static\",\"host\":\"" + host
                            + "\",\"username\":\"x-access-token\"}");
            broker.send("PUT", "/v1/credentials/moved", "{\"secret\":\"moved-secret\"}");
            String token = world.workspace("mover", "moved");
            HttpResponse<String> answer =
                    relay("GET", "/relay/git/" + host + "/org/repo.git/info/refs?service=git-upload-pack", token);
            assertThat(answer.statusCode()).isEqualTo(302);
            assertThat(answer.headers().firstValue("Location")).isEmpty();
            assertThat(answer.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(answer.headers().firstValue("WWW-Authenticate")).isEmpty();
            assertThat(elsewhere.get()).isZero();
        } finally {
            redirecting.stop(0);
            other.stop(0);
        }
    }

    private static HttpsServer tlsServer(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(CERTIFICATE.sslContext()));
        server.createContext("/", handler);
        server.start();
        return server;
    }
}
