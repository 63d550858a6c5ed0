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

    @Test
    void deviceModeCapturesTheIssuersUrlAndCode() throws Exception {
        String userCode = "K7QX-94PZ";
        HttpServer issuer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer.createContext("/", exchange -> {
            boolean usercode = exchange.getRequestURI().getPath().endsWith("/deviceauth/usercode");
            byte[] body = (usercode
                            ? "{\"device_auth_id\":\"dev-1\",\"user_code\":\"" + userCode + "\",\"interval\":\"5\"}"
                            : "{\"error\":\"authorization_pending\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(usercode ? 200 : 403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuer.start();
        String issuerUrl = "http://127.0.0.1:" + issuer.getAddress().getPort();
        try {
            RecordingListener events = new RecordingListener();
            RunSpec.Builder spec = mode("device");
            List<String> args = new ArrayList<>(spec.build().args());
            args.addAll(List.of("--experimental_issuer", issuerUrl));
            RunHandle run = runner.start(spec.args(args).build(), events);

            assertThat(events.url()).isEqualTo(issuerUrl + "/codex/device");
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
    void browserModeCapturesTheAuthorizeUrlAndReplaysOnlyTheRightCallback() throws Exception {
        RecordingListener events = new RecordingListener();
        RunHandle run = runner.start(mode("browser").build(), events);
        String url = events.url();

        Map<String, String> params = query(url);
        assertThat(url).startsWith("https://auth.openai.com/oauth/authorize?");
        assertThat(params.get("client_id")).isEqualTo(CLIENT_ID);
        assertThat(params.get("redirect_uri")).isEqualTo("http://127.0.0.1:1455/auth/callback");
        assertThat(params.get("state")).matches("[A-Za-z0-9_-]{20,}");
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
