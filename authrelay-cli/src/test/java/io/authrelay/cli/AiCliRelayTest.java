package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.RealAiCli;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.ApiRequest;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.MintedCredential;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import io.authrelay.sim.Vendor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code, Gemini CLI and Codex through the credential relay, over TLS, to the simulator's fake Anthropic API, which takes only
 * the broker's current access token (and so the Google one for Gemini): {@code exec --relay} gives the CLI the relay's URL and the workspace token and no
 * vendor token; the relay swaps in the broker's token. Then the API relay is attacked: an unconfigured provider, a
 * workspace without the grant, smuggled credential headers, encoded separators and dot segments, a revoked workspace
 * (cut off mid-stream).
 */
class AiCliRelayTest {
    private static final Path CERTS;
    private static final TestCertificate CERTIFICATE;

    static {
        try {
            CERTS = Files.createTempDirectory("api-relay-tls");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CERTIFICATE = TestCertificate.create(CERTS);
    }

    private MintedCredential minted;
    private MintedCredential mintedGemini;
    private MintedCredential mintedCodex;

    @RegisterExtension
    final TestBroker broker = TestBroker.process()
            .withTls(CERTIFICATE.pem(), CERTIFICATE.keyPem(), CERTIFICATE.trustContext(), CERTIFICATE.pem())
            .withSimulator(SimOptions.defaults(Flavor.OIDC))
            .withProvidersYaml(this::providersYaml);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder()
            .sslContext(CERTIFICATE.trustContext())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** Minted already expired: the broker refreshes it, so the token the fake API takes is one only the broker has. */
    private String providersYaml(ProviderSimulator sim) {
        minted = sim.mintVendorCredential(Vendor.ANTHROPIC, "alice", true, -60);
        Path login = script("""
                mkdir -p "$HOME/.claude"
                printf '%%s' '{"claudeAiOauth":{"accessToken":"%s","refreshToken":"%s","expiresAt":%d,"scopes":["user:inference","user:profile"]}}' > "$HOME/.claude/.credentials.json"
                echo "Login successful."
                """.formatted(
                        minted.accessToken(),
                        minted.refreshToken(),
                        Instant.now().minusSeconds(60).toEpochMilli()));
        mintedGemini = sim.mintVendorCredential(Vendor.GOOGLE, "alice", false, -60);
        Path geminiLogin = script("""
                mkdir -p "$HOME/.gemini"
                printf '%%s' '{"active":"alice@example.com"}' > "$HOME/.gemini/google_accounts.json"
                printf '%%s' '{"access_token":"%s","refresh_token":"%s","expiry_date":%d,"token_type":"Bearer"}' > "$HOME/.gemini/oauth_creds.json"
                sleep 60
                """.formatted(
                        mintedGemini.accessToken(),
                        mintedGemini.refreshToken(),
                        Instant.now().minusSeconds(60).toEpochMilli()));
        mintedCodex = sim.mintVendorCredential(Vendor.OPENAI, "alice", true, -60);
        Path codexLogin = script("""
                mkdir -p "$HOME/.codex"
                printf '%%s' '{"auth_mode":"chatgpt","tokens":{"id_token":"%s","access_token":"%s","refresh_token":"%s","account_id":"%s"},"last_refresh":"2026-01-01T00:00:00Z"}' > "$HOME/.codex/auth.json"
                echo "Successfully logged in"
                """.formatted(
                mintedCodex.idToken(), mintedCodex.accessToken(), mintedCodex.refreshToken(), mintedCodex.accountId()));
        return """
                drivers:
                  codex:
                    command: %s
                    refresh: {token_endpoint: '%s'}
                    relay: {upstream: '%s'}
                  claude-code:
                    command: %s
                    refresh: {token_endpoint: '%s'}
                    relay: {upstream: '%s'}
                  gemini-cli:
                    command: %s
                    refresh: {token_endpoint: '%s'}
                    relay: {upstream: '%s'}
                providers:
                  - name: claude
                    type: claude-code
                  - name: gemini
                    type: gemini-cli
                  - name: codex
                    type: codex
                """.formatted(
                        codexLogin,
                        sim.baseUrl() + Vendor.OPENAI.tokenPath(),
                        sim.baseUrl() + Vendor.OPENAI.prefix() + "/backend-api",
                        login,
                        sim.baseUrl() + Vendor.ANTHROPIC.tokenPath(),
                        anthropicApi(sim),
                        geminiLogin,
                        sim.baseUrl() + Vendor.GOOGLE.tokenPath(),
                        sim.baseUrl() + Vendor.GOOGLE.prefix());
    }

    private static String anthropicApi(ProviderSimulator sim) {
        return sim.baseUrl() + Vendor.ANTHROPIC.prefix();
    }

    /**
     * Logs in, then relays one request for this workspace, so the broker has refreshed the expired credential: the
     * fake API takes the refreshed token from then on, and only it.
     */
    private String connectClaude(String workspaceToken) throws Exception {
        return connect("claude", minted, workspaceToken, "claude/v1/messages", "{\"messages\":[]}");
    }

    private String connect(
            String provider, MintedCredential credential, String workspaceToken, String probe, String body)
            throws Exception {
        var started = TestBroker.expect(201, broker.send("POST", "/v1/logins", "{\"provider\":\"" + provider + "\"}"))
                .json();
        var ended = broker.awaitLoginEnd(started.path("session").asString(), Duration.ofSeconds(60));
        assertThat(ended.path("status").asString()).as(ended.toString()).isEqualTo("connected");
        broker.sim().strictVendorApis();
        HttpResponse<String> first = send(relayUrl(probe), workspaceToken, body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String current = broker.sim().vendorCurrentAccessToken(credential.credentialId());
        assertThat(current).isNotEqualTo(credential.accessToken());
        broker.sim().clearApiRequests();
        return current;
    }

    private Map<String, String> workspaceEnv(String token, String... extra) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHRELAY_URL", broker.url());
        env.put("AUTHRELAY_TOKEN", token);
        env.put("AUTHRELAY_CONFIG", "/nonexistent/client.conf");
        env.put("AUTHRELAY_CA_FILE", CERTIFICATE.pem().toString());
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        env.put("PATH", System.getenv("PATH"));
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        for (int i = 0; i < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
        return env;
    }

    private String relayUrl(String path) {
        return broker.url() + "/relay/api/" + path;
    }

    @Test
    void claudeRunsThroughTheRelayWithOnlyTheWorkspaceTokenAndTheApiSeesOnlyTheBrokersToken() throws Exception {
        String token = broker.createWorkspace("agent", "claude");
        String current = connectClaude(token);

        // What exec --relay gives the CLI: the relay, the workspace token, the broker's CA; no vendor token.
        CliRun env =
                Cli.run(workspaceEnv(token), null, "exec", "--relay", "--isolate", "--provider", "claude", "--", "env");
        assertThat(env.exit()).as(env.toString()).isZero();
        assertThat(env.out())
                .contains("ANTHROPIC_BASE_URL=" + relayUrl("claude") + "\n")
                .contains("CLAUDE_CODE_OAUTH_TOKEN=" + token + "\n")
                .contains("NODE_EXTRA_CA_CERTS=" + CERTIFICATE.pem() + "\n")
                .doesNotContain(current)
                .doesNotContain(minted.accessToken())
                .doesNotContain("sk-ant-");

        CliRun run = Cli.run(
                workspaceEnv(token),
                null,
                "exec",
                "--relay",
                "--isolate",
                "--provider",
                "claude",
                "--",
                RealAiCli.claude().executable().toString(),
                "-p",
                "hi");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("hello from the provider simulator");
        List<ApiRequest> requests = broker.sim().apiRequests().stream()
                .filter(r -> r.path().startsWith("/anthropic/v1/messages"))
                .toList();
        assertThat(requests).isNotEmpty().allSatisfy(r -> {
            assertThat(r.authorization()).isEqualTo("Bearer " + current);
            assertThat(r.apiKey()).isNull();
            assertThat(String.join("\n", r.headers().values())).doesNotContain("arw_");
        });

        String audit = broker.send("GET", "/v1/audit?limit=100", null).body();
        assertThat(audit)
                .contains("POST /relay/api/claude/v1/messages status=200")
                .doesNotContain(current);
    }

    @Test
    void geminiRunsThroughTheRelayWithOnlyTheWorkspaceToken() throws Exception {
        String token = broker.createWorkspace("agent", "gemini");
        String current = connect("gemini", mintedGemini, token, "gemini/v1internal:loadCodeAssist", "{}");

        CliRun run = Cli.run(
                workspaceEnv(token, "GEMINI_CLI_TRUST_WORKSPACE", "true"),
                null,
                "exec",
                "--relay",
                "--isolate",
                "--provider",
                "gemini",
                "--",
                RealAiCli.gemini().executable().toString(),
                "-m",
                "gemini-2.5-flash",
                "-p",
                "hi");
        assertThat(run.exit()).as(run.toString()).isZero();
        List<ApiRequest> calls = broker.sim().apiRequests().stream()
                .filter(r -> r.path().startsWith("/google/v1internal"))
                .toList();
        assertThat(calls).isNotEmpty().allSatisfy(r -> {
            assertThat(r.authorization()).isEqualTo("Bearer " + current);
            assertThat(String.join("\n", r.headers().values())).doesNotContain("arw_");
        });
    }

    /**
     * Codex reads its endpoint and credential from CODEX_HOME: exec writes one for the run, with the workspace token
     * as codex's ChatGPT access token and every base URL on the relay, and trusts the broker's CA through
     * CODEX_CA_CERTIFICATE. A proxy that records every connection stands for the way out of the sandbox: codex honours
     * HTTPS_PROXY, so a call that skipped the relay (to chatgpt.com, auth.openai.com) would reach it.
     */
    @Test
    void codexRunsThroughTheRelayWithOnlyTheWorkspaceTokenAndNothingElseLeaves() throws Exception {
        String token = broker.createWorkspace("agent", "codex");
        String current = connect("codex", mintedCodex, token, "codex/codex/responses", "{}");

        // the sandbox cannot choose the account: its ChatGPT-Account-ID, in any case and number, is replaced by the
        // credential's own, sent once (the strict fake API takes no other)
        HttpResponse<String> chosen = send(
                relayUrl("codex/codex/responses"),
                token,
                "{}",
                "ChatGPT-Account-ID",
                "acct-chosen-by-the-sandbox",
                "chatgpt-account-id",
                "acct-second-copy",
                "CHATGPT-ACCOUNT-ID",
                "acct-third-copy");
        assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(200);
        assertThat(broker.sim().apiRequests())
                .singleElement()
                .satisfies(r -> assertThat(r.headers()).containsEntry("chatgpt-account-id", mintedCodex.accountId()));
        broker.sim().clearApiRequests();

        String dump = "env; cat \"$CODEX_HOME/auth.json\" \"$CODEX_HOME/config.toml\"; ls -ld \"$CODEX_HOME\"";
        CliRun seen = Cli.run(workspaceEnv(token), null, codexRelayedShell(dump));
        assertThat(seen.exit()).as(seen.toString()).isZero();
        assertThat(seen.out())
                .contains("CODEX_CA_CERTIFICATE=" + CERTIFICATE.pem() + "\n")
                .contains("CODEX_REFRESH_TOKEN_URL_OVERRIDE=" + broker.url() + "/v1/deliver/token\n")
                .contains("\"access_token\":\"" + token + "\"")
                .contains("\"refresh_token\":\"\"")
                .contains("\"account_id\":\"authrelay\"")
                .contains("base_url = \"" + relayUrl("codex") + "/codex\"")
                .contains("chatgpt_base_url = \"" + relayUrl("codex") + "/\"")
                .contains("drwx------")
                .doesNotContain(current)
                .doesNotContain(mintedCodex.accessToken())
                .doesNotContain(mintedCodex.refreshToken())
                .doesNotContain(mintedCodex.idToken())
                .doesNotContain(mintedCodex.accountId());
        String codexHome = seen.out()
                .lines()
                .filter(l -> l.startsWith("CODEX_HOME="))
                .findFirst()
                .orElseThrow()
                .substring("CODEX_HOME=".length());
        assertThat(Path.of(codexHome).getParent()).as("removed after the run").doesNotExist();

        CliRun run = codexThroughTheRelay(token, "");
        assertThat(run.out()).contains("hello from the provider simulator");

        // A scheduled refresh (last_refresh more than 8 days old): it goes to the broker, which refuses it, and codex
        // goes on with the workspace token. Nothing reaches a vendor's token endpoint.
        CliRun stale = codexThroughTheRelay(
                token,
                "sed -i 's/\"last_refresh\":\"[^\"]*\"/\"last_refresh\":\"2020-01-01T00:00:00Z\"/' \"$CODEX_HOME/auth.json\"; ");
        assertThat(stale.out()).contains("hello from the provider simulator");
        assertThat(stale.err())
                .as("codex's refresh reached the broker (over TLS, with the broker's CA) and was refused")
                .contains("Failed to refresh token status=403");
        var refresh =
                broker.send("POST", "/v1/deliver/token", "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"\"}");
        assertThat(refresh.status()).isBetween(400, 403);
        assertThat(refresh.body()).doesNotContain("access_token");

        List<ApiRequest> calls = broker.sim().apiRequests().stream()
                .filter(r -> r.path().startsWith("/openai/"))
                .toList();
        assertThat(calls).extracting(ApiRequest::path).contains("/openai/backend-api/codex/responses");
        assertThat(calls).allSatisfy(r -> {
            assertThat(r.authorization()).isEqualTo("Bearer " + current);
            assertThat(String.join("\n", r.headers().values())).doesNotContain("arw_");
            // codex sent auth.json's dummy account_id; the upstream saw the credential's, once
            assertThat(r.headers()).containsEntry("chatgpt-account-id", mintedCodex.accountId());
        });
        String audit = broker.send("GET", "/v1/audit?limit=200", null).body();
        assertThat(audit)
                .contains("POST /relay/api/codex/codex/responses status=200")
                .doesNotContain(current);
    }

    /**
     * {@code exec --relay --isolate --provider codex -- sh -c 'PRELUDE codex exec hi'} with every proxy variable on a
     * {@link ConnectionTrap} (loopback, the broker, excepted): exits 0, and nothing reached the trap.
     */
    private CliRun codexThroughTheRelay(String token, String prelude) throws IOException {
        try (ConnectionTrap proxy = new ConnectionTrap()) {
            String codex = RealAiCli.codex().executable() + " exec --skip-git-repo-check hi </dev/null";
            CliRun run = Cli.run(
                    workspaceEnv(
                            token,
                            "HTTPS_PROXY",
                            proxy.url(),
                            "HTTP_PROXY",
                            proxy.url(),
                            "ALL_PROXY",
                            proxy.url(),
                            "NO_PROXY",
                            "127.0.0.1,localhost"),
                    null,
                    codexRelayedShell(prelude + codex));
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(proxy.connections())
                    .as("calls that left other than through the relay")
                    .isEmpty();
            return run;
        }
    }

    /** {@code authrelay exec --relay --isolate --provider codex -- sh -c SCRIPT}. */
    private static String[] codexRelayedShell(String script) {
        return new String[] {"exec", "--relay", "--isolate", "--provider", "codex", "--", "sh", "-c", script};
    }

    @Test
    void anUpstream401IsRetriedOnceForAKeptBodyAndPassedOnOtherwise() throws Exception {
        String token = broker.createWorkspace("agent", "claude");
        String current = connectClaude(token);
        String small = "{\"model\":\"claude-test\",\"max_tokens\":16,\"messages\":[]}";

        broker.sim().rejectNextVendorApiCalls(1);
        HttpResponse<String> retried = send(relayUrl("claude/v1/messages"), token, small);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(broker.sim().apiRequests())
                .as("the refused call and its one retry, the same body and the broker's token")
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + current));

        broker.sim().clearApiRequests();
        broker.sim().rejectNextVendorApiCalls(2);
        HttpResponse<String> twice = send(relayUrl("claude/v1/messages"), token, small);
        assertThat(twice.statusCode()).isEqualTo(401);
        assertThat(twice.body()).contains("upstream_unauthorized").contains("again after a refresh");
        assertThat(twice.headers().allValues("WWW-Authenticate")).isEmpty();
        assertThat(broker.sim().apiRequests()).as("one retry only").hasSize(2);

        // a body too large to keep is streamed: its 401 is passed on, never retried
        broker.sim().clearApiRequests();
        broker.sim().rejectNextVendorApiCalls(1);
        String large = "{\"messages\":[],\"pad\":\"" + "x".repeat(300 * 1024) + "\"}";
        HttpResponse<String> streamed = send(relayUrl("claude/v1/messages"), token, large);
        assertThat(streamed.statusCode()).isEqualTo(401);
        assertThat(streamed.body()).contains("upstream_unauthorized").contains("cannot be sent again");
        assertThat(broker.sim().apiRequests()).hasSize(1);
        broker.sim().rejectNextVendorApiCalls(0);
    }

    @Test
    void aStreamArrivesEventByEventAndTheTimeToFirstByteIsPrinted() throws Exception {
        String token = broker.createWorkspace("agent", "claude");
        String current = connectClaude(token);
        String body = "{\"model\":\"claude-test\",\"max_tokens\":16,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String delayed = "v1/messages?sim_event_delay_ms=200";

        List<Long> arrivals = arrivals(relayUrl("claude/" + delayed), "Bearer " + token, body);
        long spreadMs = (arrivals.getLast() - arrivals.getFirst()) / 1_000_000;
        System.out.printf(
                "relay: SSE with events 200 ms apart: %d reads, first after %d ms, last after %d ms%n",
                arrivals.size(), arrivals.getFirst() / 1_000_000, arrivals.getLast() / 1_000_000);
        assertThat(arrivals).as("reads with data").hasSizeGreaterThan(3);
        // events 200 ms apart: the first must not wait for the last (a buffering relay would deliver them at once)
        assertThat(spreadMs).as("ms between first and last read").isGreaterThan(500);

        // a client that goes away mid-stream: the relay ends the upstream call, which the vendor sees as abandoned
        broker.sim().clearApiRequests();
        HttpResponse<InputStream> leaving =
                post(relayUrl("claude/v1/messages?sim_event_delay_ms=300"), "Bearer " + token, body);
        assertThat(leaving.body().read(new byte[64])).isPositive();
        leaving.body().close();
        Instant giveUp = Instant.now().plusSeconds(10);
        while (broker.sim().abandonedVendorStreams() == 0 && Instant.now().isBefore(giveUp)) TestBroker.pause(20);
        assertThat(broker.sim().abandonedVendorStreams())
                .as("the upstream stream ended early")
                .isEqualTo(1);

        // time to first byte, relay against direct, small streamed requests (median of 15 each, interleaved)
        List<Long> relayed = new ArrayList<>();
        List<Long> direct = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            relayed.add(arrivals(relayUrl("claude/v1/messages"), "Bearer " + token, body)
                    .getFirst());
            direct.add(arrivals(anthropicApi(broker.sim()) + "/v1/messages", "Bearer " + current, body)
                    .getFirst());
        }
        System.out.printf(
                "relay: SSE time to first byte, median of 15: relay (TLS) %.2f ms, direct (plain http) %.2f ms%n",
                median(relayed) / 1e6, median(direct) / 1e6);
    }

    @Test
    void theApiRelayRefusesAbuse() throws Exception {
        String agent = broker.createWorkspace("agent", "claude");
        String current = connectClaude(agent);
        broker.addStaticProvider("forge", "forge.example.test", "forge-secret");
        String other = broker.createWorkspace("other", "forge");
        String body = "{\"model\":\"claude-test\",\"max_tokens\":16,\"messages\":[]}";

        // an unconfigured provider (refused as not granted, as a vend is: a workspace learns nothing of other names);
        // a provider with no API upstream; a workspace without the grant
        assertThat(send(relayUrl("nosuch/v1/messages"), agent, body).statusCode())
                .isEqualTo(403);
        assertThat(send(relayUrl("forge/v1/messages"), other, body).statusCode())
                .isEqualTo(404);
        assertThat(send(relayUrl("claude/v1/messages"), other, body).statusCode())
                .isEqualTo(403);
        // no token, a vendor token in place of the workspace token, two Authorization headers
        assertThat(send(relayUrl("claude/v1/messages"), null, body).statusCode())
                .isEqualTo(401);
        assertThat(send(relayUrl("claude/v1/messages"), current, body).statusCode())
                .isEqualTo(401);
        // encoded separators and dot segments
        for (String path : List.of(
                "claude/v1/%2e%2e/oauth/token",
                "claude/v1/..%2Foauth",
                "claude/v1%2Fmessages",
                "claude/v1%5Cmessages",
                "claude/v1/./messages",
                "claude//v1/messages",
                "Claude/v1/messages")) {
            // sent as written: java.net.http keeps the raw path, escapes and dot segments included
            HttpResponse<String> reply = send(relayUrl(path), agent, body);
            assertThat(reply.statusCode()).as(path + ": " + reply.body()).isBetween(400, 404);
        }
        // refused before its body has all arrived: the answer says Connection: close, so the client sends no next
        // request on a connection the relay closes after it (that request would fail with a broken pipe)
        URI relay = URI.create(relayUrl("claude/v1%2Fmessages"));
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket)
                CERTIFICATE.trustContext().getSocketFactory().createSocket(relay.getHost(), relay.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST " + relay.getRawPath() + " HTTP/1.1\r\nHost: " + relay.getRawAuthority()
                    + "\r\nAuthorization: Bearer " + agent
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"model\":";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readNBytes(2048), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400 ");
            assertThat(answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT))
                    .contains("\r\nconnection: close");
        }
        assertThat(broker.sim().apiRequests())
                .as("nothing refused reached the vendor")
                .isEmpty();

        // smuggled credentials are stripped; only the broker's token arrives
        HttpResponse<String> smuggled = send(
                relayUrl("claude/v1/messages"),
                agent,
                body,
                "x-api-key",
                "smuggled-key",
                "Cookie",
                "session=smuggled",
                "Proxy-Authorization",
                "Bearer smuggled",
                "x-goog-api-key",
                "smuggled");
        assertThat(smuggled.statusCode()).as(smuggled.body()).isEqualTo(200);
        assertThat(broker.sim().apiRequests()).singleElement().satisfies(r -> {
            assertThat(r.authorization()).isEqualTo("Bearer " + current);
            assertThat(r.apiKey()).isNull();
            assertThat(String.join("\n", r.headers().values()))
                    .doesNotContain("smuggled")
                    .doesNotContain("arw_");
        });

        // revoked while an answer streams: cut off, then refused
        String stream = "{\"model\":\"claude-test\",\"max_tokens\":16,\"stream\":true,\"messages\":[]}";
        HttpResponse<InputStream> streaming =
                post(relayUrl("claude/v1/messages?sim_event_delay_ms=1000"), "Bearer " + agent, stream);
        assertThat(streaming.statusCode()).isEqualTo(200);
        InputStream in = streaming.body();
        assertThat(in.read(new byte[64])).isPositive();
        Instant revokedAt = Instant.now();
        broker.send("POST", "/v1/workspaces/agent/revoke", "{}");
        CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes());
            } catch (IOException e) {
                return "cut: " + e.getMessage();
            }
        });
        String after = rest.get(30, TimeUnit.SECONDS);
        Duration cutTook = Duration.between(revokedAt, Instant.now());
        System.out.printf("relay: API stream cut off %d ms after the revocation%n", cutTook.toMillis());
        assertThat(after).doesNotContain("message_stop");
        assertThat(send(relayUrl("claude/v1/messages"), agent, body).statusCode())
                .isEqualTo(401);
    }

    /** @param headers more request headers, name then value */
    private HttpResponse<String> send(String url, String token, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) request.header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<InputStream> post(String url, String authorization, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/json")
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** When each read with data returned, in nanoseconds since the request was sent. */
    private List<Long> arrivals(String url, String authorization, String body) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = post(url, authorization, body);
        assertThat(response.statusCode()).isEqualTo(200);
        List<Long> arrivals = new ArrayList<>();
        byte[] buffer = new byte[8192];
        try (InputStream in = response.body()) {
            while (in.read(buffer) > 0) arrivals.add(System.nanoTime() - start);
        }
        return arrivals;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** A listener that records every connection made to it and answers none: the test's way out of the sandbox. */
    private static final class ConnectionTrap implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<String> connections = new CopyOnWriteArrayList<>();
        private final Thread acceptor = Thread.ofVirtual().start(this::accept);

        ConnectionTrap() throws IOException {}

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        List<String> connections() {
            return connections;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    client.setSoTimeout(2_000);
                    byte[] line = new byte[200];
                    int n = client.getInputStream().read(line);
                    connections.add(
                            n > 0 ? new String(line, 0, n).lines().findFirst().orElse("") : "(nothing sent)");
                } catch (IOException e) {
                    if (!socket.isClosed()) connections.add("(failed: " + e.getMessage() + ")");
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            acceptor.interrupt();
        }
    }

    private static Path script(String body) {
        try {
            Path script = Files.createTempDirectory("claude-login").resolve("claude-login");
            Files.writeString(script, "#!/bin/sh\n" + body);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
