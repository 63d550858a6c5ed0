package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.http.Json;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.TestBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The relay's limits, attacked through a real daemon over TLS with the real forge behind it: a workspace's request
 * rate (here 3 at once, then 1 an hour, so the test never races the refill) whatever connection or forwarding header
 * it comes with, and not at another workspace's cost; and wrong tokens, which spend one budget per address across
 * {@code /relay/} and {@code /v1/}, never a valid token's.
 */
class RelayLimitsAttackTest {
    private static final TestCertificate CERTIFICATE;

    static {
        try {
            CERTIFICATE = TestCertificate.create(Files.createTempDirectory("relay-limits-tls"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The daemon's wrong-token limiter: past this many failures in a minute an address gets 429. */
    private static final int REFUSE_AFTER = 20;

    @RegisterExtension
    final TestBroker broker = TestBroker.process()
            .withTls(CERTIFICATE.pem(), CERTIFICATE.keyPem(), CERTIFICATE.trustContext(), CERTIFICATE.pem())
            .withDaemonEnv("AUTHRELAY_PROVIDER_CA_FILE", CERTIFICATE.pem().toString())
            .withDaemonArgs("--relay-rate=1/h", "--relay-burst=3", "--relay-concurrency=16");

    @RegisterExtension
    final GitWorld world = new GitWorld(broker, CERTIFICATE);

    private String refs;

    /** A new client, so a new connection, from a loopback address of the test's choosing. */
    private static HttpClient from(String localAddress) {
        try {
            return HttpClient.newBuilder()
                    .sslContext(CERTIFICATE.trustContext())
                    .localAddress(InetAddress.getByName(localAddress))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpClient client, String path, String authorization, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(broker.url() + path)).GET();
        if (authorization != null) request.header("Authorization", authorization);
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("git:" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String code(HttpResponse<String> response) {
        JsonNode body = Json.MAPPER.readTree(response.body());
        return body.path("error").path("code").asString();
    }

    /** The forge with its repository, granted to each workspace named; their tokens in the same order. */
    private List<String> forgeAndWorkspaces(String... names) {
        GitHttpServer forge = world.forge();
        String secret = "forge-token-" + UUID.randomUUID();
        forge.acceptedPassword.set(secret);
        world.addProvider("forge", forge, secret, false);
        refs = "/relay/git/" + forge.host() + "/repo.git/info/refs?service=git-upload-pack";
        List<String> tokens = new ArrayList<>();
        for (String name : names) tokens.add(world.workspace(name, "forge=" + forge.host() + "/repo"));
        return tokens;
    }

    @Test
    void aWorkspacesRateIsItsOwnWhateverConnectionOrForwardingHeaderItComesWith() {
        List<String> tokens = forgeAndWorkspaces("a", "b");
        String a = tokens.get(0);
        String b = tokens.get(1);
        GitHttpServer forge = world.forge();

        // The burst, each on a new connection, each claiming another origin: one workspace, one bucket.
        String[][] disguises = {
            {"X-Forwarded-For", "10.0.0.1"}, {"Forwarded", "for=10.0.0.2"}, {"X-Real-IP", "10.0.0.3"},
        };
        for (String[] disguise : disguises) {
            HttpResponse<String> passed = send(from("127.0.0.1"), refs, basic(a), disguise[0], disguise[1]);
            assertThat(passed.statusCode()).as(passed.body()).isEqualTo(200);
        }
        int reached = forge.requests.size();

        // Over the rate: refused before the forge, with when to retry, in the API's error shape; also as a Bearer
        // token, from another loopback address, with yet another forwarding header.
        HttpResponse<String> refused = send(from("127.0.0.1"), refs, basic(a), "X-Forwarded-For", "10.9.9.9");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(code(refused)).isEqualTo("relay_rate_limited");
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                .as("about an hour, at 1/h")
                .isBetween(3000L, 3600L);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isEmpty();
        HttpResponse<String> again = send(from("127.0.0.5"), refs, "Bearer " + a, "X-Forwarded-For", "127.0.0.9");
        assertThat(again.statusCode()).isEqualTo(429);
        assertThat(forge.requests).as("nothing over the rate reached the forge").hasSize(reached);

        // Another workspace's budget is whole: its own burst passes, from the same address, then it is refused too.
        for (int i = 0; i < 3; i++) {
            assertThat(send(from("127.0.0.1"), refs, basic(b)).statusCode()).isEqualTo(200);
        }
        assertThat(send(from("127.0.0.1"), refs, basic(b)).statusCode()).isEqualTo(429);

        // Audited and metered like any relayed request, the workspace named.
        String audit =
                broker.send("GET", "/v1/audit?action=relay&limit=500", null).body();
        assertThat(audit).contains("workspace:a").contains("status=429").doesNotContain(a);
        assertThat(broker.send("GET", "/metrics", null).body())
                .contains("authrelay_relay_requests_total{status=\"429\"} 3.0");
    }

    @Test
    void wrongTokensAtTheRelayAndTheApiSpendOneBudgetPerAddressAndNeverAValidTokens() {
        String token = forgeAndWorkspaces("agent").get(0);
        HttpClient guesser = from("127.0.0.2");
        int attempts = 0;

        // Half the budget at the API...
        for (; attempts < REFUSE_AFTER / 2; attempts++) {
            HttpResponse<String> wrong = send(
                    guesser, "/v1/status", "Bearer arw_" + UUID.randomUUID(), "X-Forwarded-For", "10.0.0." + attempts);
            assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
        }
        // ...the rest at the relay, with the token's variants (case, whitespace, another kind of token, another
        // scheme), each claiming another origin: all are the same address's guesses.
        List<String> variants = List.of(
                basic(token.toUpperCase(Locale.ROOT)),
                basic(" " + token),
                basic(token + " "),
                basic(token + "\t"),
                basic(token.substring(0, token.length() - 1)),
                basic("ARW_" + token.substring(4)),
                basic("art_" + token.substring(4)),
                "Bearer " + token.toUpperCase(Locale.ROOT),
                "bearer arw_" + UUID.randomUUID(),
                basic("arw_" + UUID.randomUUID()));
        for (String wrong : variants) {
            HttpResponse<String> answer = send(guesser, refs, wrong, "X-Forwarded-For", "10.1.0." + attempts++);
            assertThat(answer.statusCode()).as(wrong + ": " + answer.body()).isEqualTo(401);
            assertThat(code(answer)).isEqualTo("invalid_token");
        }
        assertThat(attempts).isEqualTo(REFUSE_AFTER);

        // The budget is spent: refused at both fronts, whatever it claims to be.
        HttpResponse<String> refused =
                send(guesser, refs, basic("arw_" + UUID.randomUUID()), "X-Forwarded-For", "10.2.0.1");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(code(refused)).isEqualTo("too_many_auth_failures");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(send(guesser, "/v1/status", "Bearer arw_" + UUID.randomUUID())
                        .statusCode())
                .isEqualTo(429);
        assertThat(send(guesser, refs, basic(token + "x"), "X-Forwarded-For", "127.0.0.1")
                        .statusCode())
                .isEqualTo(429);

        // A valid token is never slowed or refused, as at the API: from the guessing address too.
        assertThat(send(guesser, refs, basic(token)).statusCode()).isEqualTo(200);
        assertThat(send(from("127.0.0.1"), refs, basic(token)).statusCode()).isEqualTo(200);
        // Another address's wrong token is its own first failure, not the guesser's lockout.
        assertThat(send(from("127.0.0.3"), refs, basic("arw_" + UUID.randomUUID()))
                        .statusCode())
                .isEqualTo(401);
        // No token at all is no guess: git's anonymous first request gets its challenge, not 429.
        HttpResponse<String> anonymous = send(from("127.0.0.3"), refs, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"authrelay relay\"");

        // Each relay guess has its auth.failure row against the real address, as at the API; no token in any row.
        JsonNode events = broker.send("GET", "/v1/audit?action=auth.failure&limit=500", null)
                .json()
                .path("events");
        List<String> relayGuesses = new ArrayList<>();
        for (JsonNode event : events) {
            if (event.path("target").asString().startsWith("GET /relay/git/"))
                relayGuesses.add(event.path("origin").asString());
        }
        assertThat(relayGuesses)
                .hasSize(variants.size() + 1)
                .allMatch(o -> o.equals("127.0.0.2") || o.equals("127.0.0.3"));
        assertThat(events.toString()).doesNotContain(token.substring(4)).doesNotContain("10.1.0.");
    }

    @Test
    void theServerRefusesRelayLimitsItCannotUseWithOneLineNamingTheOption() {
        String[][] bad = {
            {"--relay-rate=abc", "--relay-rate must be requests per second, minute or hour"},
            {"--relay-rate=0/s", "--relay-rate must be above 0"},
            {"--relay-burst=0", "--relay-burst must be from 1 to 1000000"},
            {"--relay-burst=99999999999", "--relay-burst must be a whole number from 1 to 1000000"},
            {"--relay-concurrency=-1", "--relay-concurrency must be a whole number from 1 to 10000: got '-1'"},
        };
        for (String[] option : bad) {
            CliRun refused =
                    broker.cli("server", "--home", broker.dir().resolve("other").toString(), option[0]);
            assertThat(refused.exit()).as(option[0]).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).as(option[0]).contains(option[1]).contains("authrelay server --help");
        }
    }
}
