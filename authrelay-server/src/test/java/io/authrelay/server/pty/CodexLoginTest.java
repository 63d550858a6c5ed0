package io.authrelay.server.pty;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The real Codex CLI in each driver mode; offline, with a local issuer standing in for device mode's. */
class CodexLoginTest {
    static final int CALLBACK_PORT = 1455;
    static final String CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
    private final CliRunner runner = Runners.shared();

    static RunSpec.Builder mode(String mode) {
        return AiClis.driverMode("codex", "codex", mode, Runners.runsDir("codex"));
    }

    /**
     * A local stand-in for codex's issuer (the hidden {@code --experimental_issuer} flag): hands out {@code userCode},
     * answers "pending" until {@code approved} is set, then an authorization code, then tokens.
     */
    private static HttpServer issuer(String userCode, AtomicReference<Boolean> approved, String accessToken)
            throws IOException {
        HttpServer issuer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            exchange.getRequestBody().readAllBytes();
            String body;
            int status = 200;
            if (path.endsWith("/deviceauth/usercode")) {
                body = "{\"device_auth_id\":\"dev-1\",\"user_code\":\"" + userCode + "\",\"interval\":\"1\"}";
            } else if (path.endsWith("/deviceauth/token") && !approved.get()) {
                status = 403;
                body = "{\"error\":\"authorization_pending\"}";
            } else if (path.endsWith("/deviceauth/token")) {
                body = "{\"authorization_code\":\"ac-1\",\"code_challenge\":\"ch\",\"code_verifier\":\"ver\"}";
            } else if (path.equals("/oauth/token")) {
                body = "{\"id_token\":\""
                        + jwt("{\"email\":\"dev@example.test\",\"https://api.openai.com/auth\":"
                                + "{\"chatgpt_account_id\":\"acct-1\",\"chatgpt_plan_type\":\"plus\"}}")
                        + "\",\"access_token\":\"" + accessToken + "\",\"refresh_token\":\"rt-1\",\"expires_in\":3600}";
            } else {
                status = 404;
                body = "{}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        issuer.start();
        return issuer;
    }

    private static String jwt(String claims) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    private static RunSpec device(HttpServer issuer) {
        RunSpec.Builder spec = mode("device");
        List<String> args = new ArrayList<>(spec.build().args());
        args.addAll(List.of(
                "--experimental_issuer",
                "http://127.0.0.1:" + issuer.getAddress().getPort()));
        return spec.args(args).build();
    }

    @Test
    void deviceModeCapturesTheIssuersUrlAndCode() throws Exception {
        String userCode = "K7QX-94PZ";
        HttpServer issuer = issuer(userCode, new AtomicReference<>(false), "unused");
        try {
            RecordingListener events = new RecordingListener();
            RunHandle run = runner.start(device(issuer), events);

            assertThat(events.url())
                    .isEqualTo("http://127.0.0.1:" + issuer.getAddress().getPort() + "/codex/device");
            assertThat(events.code.get()).isEqualTo(userCode);
            assertThat(events.codes).containsExactly(userCode);

            run.cancel();
            assertThat(run.awaitEnd(Duration.ofSeconds(30)).orElseThrow().cancelled())
                    .isTrue();
            Leftovers.assertNone(run);
        } finally {
            issuer.stop(0);
        }
    }

    @Test
    void deviceModeSucceedsOnceApprovedAndLeavesTheCredentialFileForEnded() throws Exception {
        AtomicReference<Boolean> approved = new AtomicReference<>(false);
        String accessToken =
                jwt("{\"exp\":4102444800,\"https://api.openai.com/auth\":{\"chatgpt_account_id\":\"acct-1\"}}");
        HttpServer issuer = issuer("K7QX-94PZ", approved, accessToken);
        try {
            AtomicReference<Path> home = new AtomicReference<>();
            AtomicReference<String> authJson = new AtomicReference<>();
            RecordingListener events = new RecordingListener();
            events.atEnd(end -> authJson.set(read(home.get().resolve(".codex/auth.json"))));
            RunHandle run = runner.start(device(issuer), events);
            home.set(run.home());
            events.code.get(60, java.util.concurrent.TimeUnit.SECONDS);

            approved.set(true);
            RunEnd end = run.awaitEnd(Duration.ofSeconds(60)).orElseThrow();

            assertThat(end.exitCode()).isZero();
            assertThat(end.successSeen()).isTrue();
            assertThat(end.failureSeen()).isFalse();
            var tokens = new tools.jackson.databind.json.JsonMapper()
                    .readTree(authJson.get())
                    .path("tokens");
            assertThat(tokens.path("access_token").asString()).isEqualTo(accessToken);
            assertThat(tokens.path("refresh_token").asString()).isEqualTo("rt-1");
            assertThat(tokens.path("account_id").asString()).isEqualTo("acct-1");
            Leftovers.assertNone(run);
        } finally {
            issuer.stop(0);
        }
    }

    @Test
    void browserModeCapturesTheAuthorizeUrlAndReplaysOnlyTheRightCallback() throws Exception {
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(mode("browser").build(), events);
        try {
            String url = events.url();

            Map<String, String> params = query(url);
            assertThat(url).startsWith("https://auth.openai.com/oauth/authorize?");
            assertThat(params.get("client_id")).isEqualTo(CLIENT_ID);
            assertThat(params.get("redirect_uri")).isEqualTo("http://127.0.0.1:1455/auth/callback");
            assertThat(params.get("state")).matches("[A-Za-z0-9_-]{20,}");
            events.awaitLine(url); // the $BROWSER recorder can report the URL before codex's printed line arrives
            assertThat(events.lines).contains(url);
            assertThat(events.urls).containsExactly(url);

            CallbackReplay replay = new CallbackReplay();
            String state = params.get("state");
            String wrong = "http://127.0.0.1:1455/auth/callback?code=abc&state=" + state.substring(1) + "x";
            assertThat(replay.replay(url, wrong)).isInstanceOf(CallbackReplay.Refused.class);
            // refused before codex heard of it: still listening, still running
            assertThat(portIsFree(CALLBACK_PORT)).isFalse();
            assertThat(events.end).isNotDone();

            CallbackReplay.Result result =
                    replay.replay(url, "http://localhost:1455/auth/callback?code=authrelay-code&state=" + state);
            assertThat(result).isInstanceOf(CallbackReplay.Replayed.class);

            // codex took the code and tried the token exchange, which fails offline: proof the replay reached it
            RunEnd end = run.awaitEnd(Duration.ofSeconds(60)).orElseThrow();
            assertThat(end.timedOut()).isFalse();
            assertThat(end.cancelled()).isFalse();
            assertThat(end.failureSeen()).isTrue();
            assertThat(end.lastLine()).startsWith("Error logging in").contains("oauth/token");
            assertThat(events.lines).noneMatch(l -> l.contains("authrelay-code"));
            Leftovers.assertNone(run);
            assertThat(portIsFree(CALLBACK_PORT)).isTrue();

        } finally {
            run.cancel(); // a failure above must not leave codex holding port 1455 for the next test
        }
    }

    @Test
    void theBrowserRecorderGetsTheSameUrlCodexPrints() throws Exception {
        RecordingListener events = new RecordingListener();
        // no pattern: printed lines capture nothing, so the URL can only come from the $BROWSER recorder
        RunHandle run =
                runner.start(mode("browser").patterns(OutputPatterns.NONE).build(), events);
        String recorded = events.url();
        events.awaitLine(recorded);
        assertThat(events.lines).contains(recorded);
        assertThat(query(recorded).get("client_id")).isEqualTo(CLIENT_ID);

        run.cancel();
        assertThat(run.awaitEnd(Duration.ofSeconds(30)).orElseThrow().cancelled())
                .isTrue();
        Leftovers.assertNone(run);
        assertThat(portIsFree(CALLBACK_PORT))
                .as("port 1455 after a cancelled browser login")
                .isTrue();
    }

    @Test
    void apiKeyModeStoresTheKeyFromStdinOnly() throws Exception {
        String key = "sk-authrelay-" + UUID.randomUUID();
        AtomicReference<Path> home = new AtomicReference<>();
        AtomicReference<String> authJson = new AtomicReference<>();
        RecordingListener events = new RecordingListener();
        // read while ended runs: the home is wiped right after
        events.atEnd(end -> authJson.set(read(home.get().resolve(".codex/auth.json"))));
        RunSpec spec = mode("api-key").build();
        RunHandle run = runner.start(spec, events);
        home.set(run.home());
        events.awaitLine("Reading API key from stdin");
        List<String> argv = commandLines(run.home().getParent());

        run.writeSecretAndClose(key);
        RunEnd end = run.awaitEnd(Duration.ofSeconds(60)).orElseThrow();

        assertThat(end.exitCode()).isZero();
        assertThat(end.successSeen()).isTrue();
        assertThat(authJson.get()).contains("\"OPENAI_API_KEY\": \"" + key + "\"");
        assertThat(argv).isNotEmpty().noneMatch(a -> a.contains(key));
        assertThat(spec.args()).noneMatch(a -> a.contains(key));
        assertThat(events.lines).isNotEmpty().noneMatch(l -> l.contains(key));
        Leftovers.assertNone(run);
    }

    /** The command lines of every process of the run (argv is readable by anyone on the machine). */
    static List<String> commandLines(Path runRoot) throws IOException {
        List<String> lines = new ArrayList<>();
        for (long pid : Leftovers.processesIn(runRoot)) {
            try {
                lines.add(new String(
                                Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                                StandardCharsets.UTF_8)
                        .replace('\0', ' '));
            } catch (IOException e) {
                // ended meanwhile
            }
        }
        return lines;
    }

    static Map<String, String> query(String url) {
        return Stream.of(URI.create(url).getRawQuery().split("&"))
                .map(p -> p.split("=", 2))
                .collect(Collectors.toMap(
                        p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p -> URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8)));
    }

    static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }
}
