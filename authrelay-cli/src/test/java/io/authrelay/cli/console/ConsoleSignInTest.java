package io.authrelay.cli.console;

import static io.authrelay.server.testing.TestBroker.expect;
import static io.authrelay.server.testing.TestBroker.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Cookie;

/**
 * Signing in to the web console in a real browser, with the admin token or a one-time link from the CLI, and what
 * keeps the session from anyone else: cookie flags, the tab secret, the exact Origin, CSRF, the security headers.
 */
class ConsoleSignInTest {
    private static final String COOKIE = "authrelay_console";

    @RegisterExtension
    static final TestBroker broker = TestBroker.process();

    @RegisterExtension
    static final ConsoleBrowser browser = new ConsoleBrowser();

    @BeforeEach
    void signedOut() {
        browser.get(broker.url() + "/");
        browser.script("sessionStorage.clear()");
        browser.driver.manage().deleteAllCookies();
        browser.get(broker.url() + "/");
        browser.find("#signin-form");
    }

    private void signInWithToken(String token) {
        var input = browser.find("#admin-token");
        input.clear();
        input.sendKeys(token);
        browser.click("#signin-form button[type=submit]");
    }

    private String tabSecret() {
        return (String) browser.script("return sessionStorage.getItem('authrelay.console.tab')");
    }

    private String cookieValue() {
        return browser.driver.manage().getCookieNamed(COOKIE).getValue();
    }

    @Test
    void theAdminTokenSignsInAWrongOneIsRefusedAndSignOutEndsTheSession() throws IOException {
        signInWithToken("ara_not_the_token");
        browser.awaitText("#signin-error", "not valid");
        assertThat(browser.driver.manage().getCookieNamed(COOKIE)).isNull();

        signInWithToken(broker.adminToken());
        browser.awaitText("#view h1", "Connections");
        assertThat(browser.find("#nav").isDisplayed()).isTrue();
        assertThat(browser.find("#admin-token").getAttribute("value")).isEmpty();
        Cookie cookie = browser.driver.manage().getCookieNamed(COOKIE);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.isSecure()).isFalse(); // plain http on loopback; Secure and __Host- under TLS
        assertThat(cookie.getPath()).isEqualTo("/");
        assertThat(cookie.getExpiry()).as("a browser-session cookie").isNull();
        assertThat((String) browser.script("return document.cookie")).doesNotContain(COOKIE);
        browser.screenshots("signed-in");

        String cookieValue = cookie.getValue();
        String tab = tabSecret();
        expect(200, asConsole("GET", "/v1/status", cookieValue, tab, null));

        browser.click("#signout");
        browser.find("#signin-form");
        browser.await(d -> d.getTitle().startsWith("Sign in"));
        assertThat(tabSecret()).isNull();
        expectError(401, "console_session_invalid", asConsole("GET", "/v1/status", cookieValue, tab, null));
        assertThat(broker.send("GET", "/v1/audit", null).body())
                .contains("console.signin")
                .contains("console.signout");
    }

    @Test
    void aOneTimeLinkFromTheCliSignsInOnceAndItsSecretReachesNoServerLog() throws IOException {
        CliRun printed = broker.cli("console-link");
        assertThat(printed.exit()).as(printed.toString()).isZero();
        String url = printed.out().lines().findFirst().orElseThrow().trim();
        assertThat(url).startsWith(broker.url() + "/#link=arl_");
        String secret = url.substring(url.indexOf("#link=") + 6);

        browser.get(url);
        browser.awaitText("#view h1", "Connections");
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(secret).endsWith("#/connections");
        browser.screenshots("connections-after-link");

        // A second use, even by the browser that used it first, is refused.
        browser.script("sessionStorage.clear()");
        browser.driver.manage().deleteAllCookies();
        browser.get(url);
        browser.awaitText("#signin-error", "already used");
        assertThat(browser.driver.manage().getCookieNamed(COOKIE)).isNull();

        // A link this daemon never issued (a forged one, or another daemon's) is refused the same way.
        browser.get(broker.url() + "/#link=arl_" + "A".repeat(43));
        browser.awaitText("#signin-error", "not printed by this daemon");

        assertThat(broker.log()).doesNotContain(secret);
        assertThat(broker.send("GET", "/v1/audit", null).body()).doesNotContain(secret);
    }

    @Test
    void aSessionNeedsItsCookieItsTabSecretAndItsOwnOriginAndStateChangesNeedAnOrigin() {
        broker.addStaticProvider("forge", "git.example.test", "forge-secret-value");
        signInWithToken(broker.adminToken());
        browser.awaitText("#view h1", "Connections");
        String cookie = cookieValue();
        String tab = tabSecret();
        String own = broker.url();
        String create = "{\"name\":\"csrf-%s\",\"grants\":[\"forge\"]}";

        // What the console's own page sends works.
        expect(200, asConsole("GET", "/v1/status", cookie, tab, null));
        // A session manages the broker but mints no lasting admin credential a stolen tab could keep.
        expectError(403, "insufficient_scope", asConsole("POST", "/v1/admin-token/rotate", cookie, tab, own, "{}"));
        expectError(
                403,
                "insufficient_scope",
                asConsole(
                        "POST", "/v1/api-tokens", cookie, tab, own, "{\"name\":\"from-console\",\"scope\":\"admin\"}"));
        Reply created = asConsole("POST", "/v1/workspaces", cookie, tab, own, create.formatted("ok"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        // The cookie alone (what a page on another localhost port makes the browser send) is not enough.
        expectError(401, "console_session_invalid", asConsole("GET", "/v1/status", cookie, null, null));
        expectError(401, "console_session_invalid", asConsole("GET", "/v1/status", cookie, "arb_guess", null));
        expectError(401, "console_session_invalid", asConsole("GET", "/v1/status", null, tab, null));
        // State changes must name the console's exact origin.
        expectError(
                403,
                "console_origin_refused",
                asConsole("POST", "/v1/workspaces", cookie, tab, null, create.formatted("no-origin")));
        for (String foreign : List.of(
                "http://localhost:" + broker.port(), // the same daemon under another name is another origin
                "http://127.0.0.1:" + (broker.port() + 1),
                "https://127.0.0.1:" + broker.port(),
                "null")) {
            Reply refused = asConsole("POST", "/v1/workspaces", cookie, tab, foreign, create.formatted("foreign"));
            assertThat(refused.status()).as(foreign).isEqualTo(403);
        }
        Reply crossSite = broker.send(broker.request("POST", "/v1/workspaces", create.formatted("xs"), null)
                .header("Cookie", COOKIE + "=" + cookie)
                .header("X-Authrelay-Console", tab)
                .header("Origin", own)
                .header("Sec-Fetch-Site", "same-site"));
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(broker.send("GET", "/v1/workspaces", null).body())
                .doesNotContain("csrf-no-origin")
                .doesNotContain("csrf-foreign")
                .doesNotContain("csrf-xs");

        // Signing in is itself refused from another origin (no logging a browser into someone else's session).
        Reply foreignSignIn = broker.send(broker.request("POST", "/console/session", null, broker.adminToken())
                .header("Origin", "http://127.0.0.1:" + (broker.port() + 1)));
        assertThat(foreignSignIn.status()).isEqualTo(403);
        assertThat(foreignSignIn.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aSessionEndedElsewhereSendsThePageBackToSignInWithTheReason() {
        browser.signIn(broker.url(), broker.adminToken());
        Reply ended = asConsole("POST", "/console/signout", cookieValue(), tabSecret(), broker.url());
        expect(200, ended);
        browser.click("#nav a[href='#/workspaces']");
        browser.awaitText("#signin-error", "no console session");
        assertThat(browser.find("#nav").isDisplayed()).isFalse();
        assertThat(tabSecret()).isNull();
    }

    @Test
    void aPageOnAnotherLocalhostPortGetsTheCookieSentButCannotUseTheSession() throws Exception {
        broker.addStaticProvider("forge2", "git2.example.test", "forge-secret-value");
        browser.signIn(broker.url(), broker.adminToken());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "<!doctype html><title>dev server</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            browser.get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            Object outcome = browser.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const base = arguments[0];
                    const body = JSON.stringify({ name: 'from-dev-server', grants: ['forge2'] });
                    Promise.allSettled([
                      fetch(base + '/v1/workspaces', { method: 'POST', credentials: 'include', mode: 'no-cors',
                        headers: { 'Content-Type': 'text/plain' }, body }),
                      fetch(base + '/v1/workspaces', { method: 'POST', credentials: 'include', body,
                        headers: { 'Content-Type': 'application/json', 'X-Authrelay-Console': 'arb_guessed' } }),
                      fetch(base + '/v1/status', { credentials: 'include' }).then((r) => r.text()),
                    ]).then((results) => done(JSON.stringify(results.map((r) => r.status + ':' + (r.value || '')))));
                    """, broker.url());
            assertThat(outcome.toString()).doesNotContain("providers"); // the status body never reached the page
        } finally {
            server.stop(0);
        }
        assertThat(broker.send("GET", "/v1/workspaces", null).body()).doesNotContain("from-dev-server");
        browser.get(broker.url() + "/");
        browser.awaitText("#view h1", "Connections"); // the session itself is untouched
    }

    @Test
    void everyAnswerForbidsFramingSniffingReferrersAndForeignOrInlineScript() {
        for (String path : List.of("/", "/console/assets/app.js", "/v1/version", "/v1/status")) {
            Reply reply = broker.send("GET", path, null);
            assertThat(reply.header("Content-Security-Policy"))
                    .as(path)
                    .contains("default-src 'none'")
                    .contains("script-src 'self'")
                    .contains("style-src 'self'")
                    .contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline")
                    .doesNotContain("http");
            assertThat(reply.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(reply.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        String page = broker.send("GET", "/", null).body();
        assertThat(page).doesNotContainPattern("<script>|<script [^>]*>[^<]").doesNotContain("style=");
        expectError(404, "not_found", broker.send("GET", "/console/assets/..%2fdb%2fsqlite", null));
        expectError(404, "not_found", broker.send("GET", "/console/assets/index.html", null));
    }

    private Reply asConsole(String method, String path, String cookie, String tab, String origin) {
        return asConsole(method, path, cookie, tab, origin, null);
    }

    private Reply asConsole(String method, String path, String cookie, String tab, String origin, String body) {
        var request = broker.request(method, path, body, null);
        if (cookie != null) request.header("Cookie", COOKIE + "=" + cookie);
        if (tab != null) request.header("X-Authrelay-Console", tab);
        if (origin != null) request.header("Origin", origin);
        return broker.send(request);
    }
}
