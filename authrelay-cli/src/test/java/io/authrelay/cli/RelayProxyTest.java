package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.RecordingProxy;
import io.authrelay.server.testing.TestBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The credential relay's upstreams through the daemon's forward proxy (HTTPS_PROXY, NO_PROXY, read once at start as
 * for the OAuth calls): real git through the relay reaches the forge through a real CONNECT proxy, which sees only
 * {@code CONNECT host:port} and TLS it cannot read; a host NO_PROXY names (written otherwise: upper case, trailing
 * dot) goes direct. A proxy value the daemon cannot honour stops it at start with one line.
 */
class RelayProxyTest {
    private static final TestCertificate CERTIFICATE = TestCertificate.create(scratch());

    private final RecordingProxy proxy = new RecordingProxy();

    @RegisterExtension
    final TestBroker broker = TestBroker.process()
            .withTls(CERTIFICATE.pem(), CERTIFICATE.keyPem(), CERTIFICATE.trustContext(), CERTIFICATE.pem())
            .withDaemonEnv("AUTHRELAY_PROVIDER_CA_FILE", CERTIFICATE.pem().toString())
            .withDaemonEnv("HTTPS_PROXY", proxy.url())
            .withDaemonEnv("HTTP_PROXY", proxy.url())
            .withDaemonEnv("NO_PROXY", "LOCALHOST.");

    @RegisterExtension
    final GitWorld world = new GitWorld(broker, CERTIFICATE);

    @AfterEach
    void closeProxy() throws IOException {
        proxy.close();
    }

    @Test
    void relayedGitCrossesTheProxyOnlyAsATunnelAndANoProxyHostGoesDirect() throws Exception {
        GitHttpServer forge = world.forge();
        // one forge under two names: 127.0.0.1 through the proxy, localhost (NO_PROXY) direct
        String secret = world.secretForge("proxied");
        String direct = "localhost:" + forge.port();
        world.addProvider("direct", direct, secret, false);
        String token = world.workspace("agent", "proxied=" + forge.host() + "/repo", "direct=" + direct + "/repo");

        Map<String, String> env = world.relayedGit(token, forge.host());
        GitWorld.Run clone = world.git(env, world.dir(), "clone", "-q", forge.url("repo.git"), "proxied");
        assertThat(clone.exit()).as(clone.err()).isZero();
        assertThat(proxy.seen())
                .as("the relay's requests, and nothing else, crossed the proxy: as tunnels, without credentials")
                .isNotEmpty()
                .allMatch(seen -> seen.requestLine().equals("CONNECT " + forge.host() + " HTTP/1.1"))
                .noneMatch(RecordingProxy.Seen::proxyAuthorization);
        String expected = "Basic "
                + Base64.getEncoder().encodeToString(("x-access-token:" + secret).getBytes(StandardCharsets.UTF_8));
        assertThat(forge.authorizations).isNotEmpty().allMatch(expected::equals);
        // Inside the tunnel the proxy saw TLS only: neither the credential, nor its header, nor the path in clear.
        String tunnelled = new String(proxy.tunnelled(), StandardCharsets.ISO_8859_1);
        assertThat(tunnelled)
                .isNotEmpty()
                .doesNotContain(secret)
                .doesNotContain(expected.substring("Basic ".length()))
                .doesNotContain(token)
                .doesNotContain("Authorization")
                .doesNotContain("repo.git");

        int crossed = proxy.seen().size();
        int reached = forge.requests.size();
        Map<String, String> directEnv = world.relayedGit(token, direct);
        GitWorld.Run directClone =
                world.git(directEnv, world.dir(), "clone", "-q", "https://" + direct + "/repo.git", "direct");
        assertThat(directClone.exit()).as(directClone.err()).isZero();
        assertThat(forge.requests.size()).isGreaterThan(reached);
        assertThat(proxy.seen()).as("NO_PROXY=LOCALHOST. names localhost").hasSize(crossed);
        assertThat(broker.log()).doesNotContain(secret).doesNotContain(token);
    }

    @Test
    void aProxyValueTheDaemonCannotHonourStopsItAtStart() {
        String[][] bad = {
            {"HTTPS_PROXY", "http://alice:pr0xy-pw@proxy.corp.test:3128", "HTTPS_PROXY carries credentials"},
            {"HTTPS_PROXY", "socks5://proxy.corp.test:1080", "HTTPS_PROXY must be an http:// proxy"},
            {"NO_PROXY", "g\u0456thub.com", "NO_PROXY: 'g\u0456thub.com' is not a host name"},
        };
        for (String[] value : bad) {
            CliRun refused = Cli.run(
                    Map.of(value[0], value[1]),
                    null,
                    "server",
                    "--home=" + broker.dir().resolve("refused-" + UUID.randomUUID()),
                    "--listen=127.0.0.1:" + TestBroker.freePort());
            assertThat(refused.exit()).as(refused.err()).isEqualTo(ExitCodes.FAILED);
            assertThat(refused.err())
                    .as(value[1])
                    .contains("refusing to start: " + value[2])
                    .doesNotContain("pr0xy-pw");
            assertThat(refused.err().strip().lines()).as(refused.err()).hasSize(1);
        }
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("relay-proxy-tls");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
