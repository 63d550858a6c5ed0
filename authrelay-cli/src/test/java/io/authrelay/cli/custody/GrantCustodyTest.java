package io.authrelay.cli.custody;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.cli.GitHttpServer;
import io.authrelay.cli.GitWorld;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.Reply;
import io.authrelay.server.testing.TestBroker;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A credential goes only where it was granted: to the granted host (compared as normalised ASCII), for the granted
 * paths (normalised), over https, whatever the request names. Attacked through the API in JSON and in git's format,
 * through real git with the Java helper, and through exec.
 */
class GrantCustodyTest {
    @RegisterExtension
    static final TestBroker broker = TestBroker.process();

    @RegisterExtension
    static final GitWorld world = new GitWorld(broker);

    private static final String secret = "forge-token-" + UUID.randomUUID();
    private static String host;
    private static String token;

    @BeforeAll
    static void grantOneRepository() {
        world.forge().acceptedPassword.set(secret);
        world.addProvider("forge", world.forge(), secret, false);
        host = world.forge().host();
        token = world.workspace("agent", "forge=" + host + "/my-org/*");
    }

    private Reply vend(String json) {
        return broker.send("POST", "/v1/vend", json, token);
    }

    private static String json(String protocol, String host, String path, String provider) {
        StringBuilder body = new StringBuilder("{");
        if (protocol != null)
            body.append("\"protocol\":").append(quote(protocol)).append(',');
        if (host != null) body.append("\"host\":").append(quote(host)).append(',');
        if (path != null) body.append("\"path\":").append(quote(path)).append(',');
        if (provider != null)
            body.append("\"provider\":").append(quote(provider)).append(',');
        return body.substring(0, body.length() - 1) + "}";
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    @Test
    void theGrantedHostAndPathGetTheCredentialInEveryEquivalentSpelling() {
        String port = host.substring(host.indexOf(':'));
        for (String[] request : List.of(
                new String[] {"https", host, "my-org/repo.git"},
                new String[] {"HTTPS", host, "/my-org/repo"},
                new String[] {"https", host, "my-org//repo.git/"},
                new String[] {"https", host, "my-org/./x/../repo"},
                new String[] {"https", "127.0.0.1." + port, "my-org/repo"},
                new String[] {"https", host, "my-org/%72epo"})) {
            Reply reply = vend(json(request[0], request[1], request[2], null));
            assertThat(reply.status())
                    .as(String.join(" ", request) + " -> " + reply)
                    .isEqualTo(200);
            assertThat(reply.json().path("password").asString()).isEqualTo(secret);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "other-org/repo",
                "my-org/../other-org/repo",
                "my-org/%2e%2e/other-org/repo",
                "./../other-org/repo",
                "my-org%2F..%2Fother-org/repo",
                "my-org/%252e%252e/other-org",
                "my-org/repo\u0000",
                "my-org/repo\n",
                "my-org/re po",
                "my-org\\..\\other-org",
                "MY-ORG/repo"
            })
    void anyOtherPathGetsNothing(String path) {
        Reply reply = vend(json("https", host, path, null));
        assertThat(reply.status()).as(path + " -> " + reply).isIn(400, 403);
        assertThat(reply.body()).doesNotContain(secret);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.\u0661", // Arabic-Indic digit one
                "127.0.0.1\u3002", // ideographic full stop
                "127\uff0e0.0.1",
                "user@127.0.0.1",
                "127.0.0.1 ",
                "127.0.0.1\t",
                "127.0.0.1\r",
                "127.0.0.1\u0000",
                "localhost",
                "127.0.0.2"
            })
    void lookalikeOrOtherHostsGetNothing(String lookalike) {
        String port = host.substring(host.indexOf(':'));
        Reply reply = vend(json("https", lookalike + port, "my-org/repo", null));
        assertThat(reply.status()).as(lookalike + " -> " + reply).isIn(400, 403, 404);
        assertThat(reply.body()).doesNotContain(secret);
        Reply named = vend(json("https", lookalike + port, "my-org/repo", "forge"));
        assertThat(named.status()).as("named " + lookalike + " -> " + named).isIn(400, 403);
        assertThat(named.body()).doesNotContain(secret);
    }

    @Test
    void otherPortsProtocolsAndNamedProvidersGetNothing() {
        for (String json : List.of(
                json("https", "127.0.0.1:1", "my-org/repo", null),
                json("https", "127.0.0.1", "my-org/repo", null),
                json("http", host, "my-org/repo", null),
                json("ftp", host, "my-org/repo", null),
                json("https\u0000", host, "my-org/repo", null),
                json(null, "evil.example", null, "forge"),
                json("https", "evil.example", "my-org/repo", "forge"),
                json("https", host, "other-org/repo", "forge"),
                json(null, null, null, "forge"),
                json(null, null, "my-org/repo", "forge"))) {
            Reply reply = vend(json);
            assertThat(reply.status()).as(json + " -> " + reply).isBetween(400, 404);
            assertThat(reply.body()).doesNotContain(secret);
        }
        Reply exec = vend(json(null, null, null, "forge"));
        assertThat(exec.errorCode()).isEqualTo("exec_not_granted");
        assertThat(exec.json().path("error").path("hint").asString()).contains("--allow-exec");
    }

    @Test
    void gitsOwnFormatIsHeldToTheSameRules() {
        for (String body : List.of(
                "protocol=https\nhost=" + host + "\npath=other-org/repo.git\n\n",
                "protocol=http\nhost=" + host + "\npath=my-org/repo.git\n\n",
                "protocol=https\nhost=user@" + host + "\npath=my-org/repo.git\n\n",
                "url=https://" + host + "/my-org/../other-org/repo.git\n\n",
                "protocol=https\nhost=" + host + "\npath=my-org/%2e%2e/other-org\n\n")) {
            Reply reply = broker.sendGitFormat("/v1/vend", body, token);
            assertThat(reply.status()).as(body + " -> " + reply).isBetween(400, 404);
            assertThat(reply.body()).doesNotContain(secret);
        }
        Reply granted =
                broker.sendGitFormat("/v1/vend", "protocol=https\nhost=" + host + "\npath=my-org/repo.git\n\n", token);
        assertThat(granted.body()).contains("password=" + secret);
    }

    @Test
    void realGitGetsTheCredentialOnlyForGrantedRepositories() throws Exception {
        Map<String, String> env = world.env(token, world.javaHelper().toString(), world.forge());
        GitWorld.Run other =
                world.git(env, world.dir(), "clone", "-q", world.forge().url("other-org/repo.git"), "x");
        assertThat(other.exit()).isNotZero();
        assertThat(other.err()).contains("is not granted");
        assertThat(world.forge().authorizations).noneMatch(a -> a.contains(basic(secret)));

        GitWorld.Run traversal =
                world.git(env, world.dir(), "clone", "-q", world.forge().url("my-org/../other-org/repo.git"), "y");
        assertThat(traversal.exit()).isNotZero();
        assertThat(world.forge().authorizations).noneMatch(a -> a.contains(basic(secret)));
    }

    @Test
    void execOnAPathLimitedGrantIsRefusedUnlessTheGrantAllowsIt() {
        Map<String, String> workspace = Map.of("AUTHRELAY_URL", broker.url(), "AUTHRELAY_TOKEN", token);
        CliRun refused = Cli.run(workspace, null, "exec", "--provider", "forge", "--", "true");
        assertThat(refused.exit()).isEqualTo(125);
        assertThat(refused.err().lines().count()).isEqualTo(1);
        assertThat(refused.err()).contains("--allow-exec");

        String allowed = expect(
                        201,
                        broker.send(
                                "POST",
                                "/v1/workspaces",
                                "{\"name\":\"execs-"
                                        + UUID.randomUUID().toString().substring(0, 8) + "\",\"grants\":[\"forge="
                                        + host + "/my-org/*\"],\"allow_exec\":true}"))
                .json()
                .path("token")
                .asString();
        CliRun ran = Cli.run(
                Map.of("AUTHRELAY_URL", broker.url(), "AUTHRELAY_TOKEN", allowed),
                null,
                "exec",
                "--provider",
                "forge=FORGE",
                "--",
                "sh",
                "-c",
                "test \"$FORGE\" = \"" + secret + "\"");
        assertThat(ran.exit()).as(ran.err()).isZero();
    }

    @Test
    void aGrantForAHostItsProviderDoesNotServeIsRefused() {
        Reply reply = broker.send(
                "POST", "/v1/workspaces", "{\"name\":\"elsewhere\",\"grants\":[\"forge=evil.example/my-org/*\"]}");
        assertThat(reply.errorCode()).isEqualTo("grant_host_mismatch");
        for (String grant : List.of("forge=g\u0131thub.com", "forge=" + host + "/../x", "forge=" + host + "/a%2Fb")) {
            Reply bad = broker.send("POST", "/v1/workspaces", "{\"name\":\"bad\",\"grants\":[" + quote(grant) + "]}");
            assertThat(bad.status()).as(grant + " -> " + bad).isEqualTo(400);
        }
    }

    @Test
    void plainHttpIsServedOnlyForAProviderAddedWithAllowHttp() throws Exception {
        GitHttpServer plain = world.plainForge();
        String plainSecret = "plain-forge-token-" + UUID.randomUUID();
        plain.acceptedPassword.set(plainSecret);
        world.addProvider("plain", plain, plainSecret, true);
        String plainToken = world.workspace("plain-agent", "plain");
        Reply http = broker.send("POST", "/v1/vend", json("http", plain.host(), "my-org/repo", null), plainToken);
        assertThat(http.status()).as(http.toString()).isEqualTo(200);

        Map<String, String> env = world.env(plainToken, world.javaHelper().toString(), plain);
        GitWorld.Run clone = world.git(env, world.dir(), "clone", "-q", plain.url("repo.git"), "plain-clone");
        assertThat(clone.exit()).as(clone.err()).isZero();
        assertThat(plain.authorizations).anyMatch(a -> a.contains(basic(plainSecret)));

        // The https-only provider still refuses plain http for its host.
        assertThat(vend(json("http", host, "my-org/repo", null)).errorCode()).isEqualTo("insecure_protocol");
    }

    private static String basic(String password) {
        return java.util.Base64.getEncoder()
                .encodeToString(("x-access-token:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
