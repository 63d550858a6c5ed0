package io.authrelay.cli.custody;

import static io.authrelay.server.testing.TestBroker.expect;
import static io.authrelay.server.testing.TestBroker.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.authrelay.cli.HeadlessChromium;
import io.authrelay.server.ExternalTool;
import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A web page cannot reach or jam the daemon: requests a browser marks as coming from a page are refused before any
 * token check, tokenless requests do not count toward a lockout, and a DNS-rebound name is not the daemon's. Tested with
 * the headers browsers send, and with a real headless Chromium running a page served from another localhost port.
 */
class BrowserCustodyTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process();

    private Reply withHeaders(String method, String path, String token, String... headers) {
        var request = broker.request(method, path, method.equals("GET") ? null : "{}", token);
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return broker.send(request);
    }

    @Test
    void requestsMarkedAsComingFromAPageAreRefusedEvenWithAValidToken() {
        String admin = broker.adminToken();
        String otherPort = "http://127.0.0.1:" + (broker.port() + 1);
        for (String[] headers : List.of(
                new String[] {"Sec-Fetch-Site", "cross-site"},
                new String[] {"Sec-Fetch-Site", "same-site"}, // another localhost port
                new String[] {"Sec-Fetch-Site", "same-site", "Origin", otherPort},
                new String[] {"Origin", otherPort},
                new String[] {"Origin", "http://localhost:" + (broker.port() + 1)},
                new String[] {"Origin", "https://127.0.0.1:" + broker.port()},
                new String[] {"Origin", "http://127.0.0.1:" + broker.port() + ".evil.example"},
                new String[] {"Origin", "http://evil.example"},
                new String[] {"Origin", "null"})) {
            expectError(403, "browser_request_refused", withHeaders("GET", "/v1/status", admin, headers));
            expectError(403, "browser_request_refused", withHeaders("POST", "/v1/vend", null, headers));
            expectError(403, "browser_request_refused", withHeaders("GET", "/healthz", null, headers));
        }
        // What command-line clients and the daemon's own origin send is served.
        expect(200, withHeaders("GET", "/v1/status", admin, "Sec-Fetch-Site", "none"));
        expect(200, withHeaders("GET", "/v1/status", admin, "Sec-Fetch-Site", "same-origin"));
        expect(200, withHeaders("GET", "/v1/status", admin, "Origin", broker.url()));
    }

    @Test
    void aRebindingHostHeaderIsRefused() throws IOException {
        assertThat(rawStatus("127.0.0.1:" + broker.port())).isEqualTo(200);
        assertThat(rawStatus("localhost:" + broker.port())).isEqualTo(200);
        assertThat(rawStatus("LOCALHOST:" + broker.port())).isEqualTo(200);
        for (String host : List.of(
                "attacker.example:" + broker.port(),
                "attacker.example",
                "127.0.0.1",
                "127.0.0.1:" + (broker.port() + 1),
                "127.0.0.1.nip.io:" + broker.port(),
                "l\u043ecalhost:" + broker.port(), // Cyrillic o
                "localhost :" + broker.port())) {
            assertThat(rawStatus(host)).as(host).isIn(400, 403);
        }
    }

    /** The status of GET /healthz with exactly this Host header, written on a raw socket. */
    private int rawStatus(String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    @Test
    void tokenlessRequestsNeverLockOutAValidTokenOrAWorkspace() {
        broker.addStaticProvider("forge", "git.example.test", "forge-secret-value");
        String workspace = expect(
                        201, broker.send("POST", "/v1/workspaces", "{\"name\":\"ws\",\"grants\":[\"forge\"]}"))
                .json()
                .path("token")
                .asString();
        for (int i = 0; i < 60; i++) expectError(401, "missing_token", broker.send("GET", "/v1/status", null, null));
        expect(200, broker.send("GET", "/v1/status", null));
        expect(200, broker.send("POST", "/v1/vend", "{\"provider\":\"forge\"}", workspace));
        for (int i = 0; i < 30; i++) broker.send("GET", "/v1/status", null, "ara_wrong_" + i);
        expectError(429, "too_many_auth_failures", broker.send("GET", "/v1/status", null, "ara_wrong_again"));
        expect(200, broker.send("GET", "/v1/status", null));
        expect(200, broker.send("POST", "/v1/vend", "{\"provider\":\"forge\"}", workspace));
    }

    @Test
    void aRealBrowserPageOnAnotherLocalhostPortCanNeitherUseNorJamTheDaemon() throws Exception {
        Path chromium = ExternalTool.require("chromium");
        String daemon = broker.url();
        String page = """
                <!doctype html><html><body><script>
                const targets = ['%1$s', '%2$s'];
                const attempts = [];
                for (const base of targets) {
                  for (let i = 0; i < 30; i++) {
                    attempts.push(fetch(base + '/v1/status', {mode: 'no-cors'}));
                    attempts.push(fetch(base + '/v1/providers', {method: 'POST', mode: 'no-cors',
                        headers: {'Content-Type': 'text/plain'},
                        body: '{"name":"evil","type":"static","host":"evil.example"}'}));
                    attempts.push(fetch(base + '/v1/vend', {method: 'POST', mode: 'no-cors', body: 'host=github.com'}));
                  }
                }
                Promise.allSettled(attempts).then(() => { document.title = 'done'; });
                </script></body></html>
                """.formatted(daemon, daemon.replace("127.0.0.1", "localhost"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            Path profile = Files.createDirectories(broker.dir().resolve("chromium-profile"));
            List<String> command = new ArrayList<>();
            command.add(chromium.toString());
            command.addAll(HeadlessChromium.flags(profile));
            command.addAll(List.of(
                    "--virtual-time-budget=10000",
                    "--dump-dom",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/"));
            Process browser =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String dom = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(browser.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(dom).contains("<title>done</title>");
        } finally {
            server.stop(0);
        }
        String metrics = expect(200, broker.send("GET", "/metrics", null)).body();
        assertThat(metrics)
                .containsPattern("authrelay_http_requests_seconds_count\\{[^}]*status=\"403\"[^}]*\\} ([1-9][0-9]*)");
        assertThat(broker.send("GET", "/v1/providers", null).body()).doesNotContain("evil");
        assertThat(broker.send("GET", "/v1/audit", null).body()).doesNotContain("auth.failure");
        expect(200, broker.send("GET", "/v1/status", null));
        expectError(401, "invalid_token", broker.send("GET", "/v1/status", null, "ara_not_locked_out"));
    }
}
