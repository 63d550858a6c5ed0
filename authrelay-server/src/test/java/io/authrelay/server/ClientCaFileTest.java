package io.authrelay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.client.BrokerClient;
import io.authrelay.client.BrokerConfig;
import io.authrelay.client.BrokerConfigException;
import io.authrelay.client.BrokerUnreachableException;
import io.authrelay.client.VendRequest;
import io.authrelay.client.VendResult;
import io.authrelay.client.WorkspaceClient;
import io.authrelay.client.git.GitCredentialHelper;
import io.authrelay.core.login.PollPolicy;
import io.authrelay.server.testing.PrivateCa;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients against a daemon serving TLS under a private CA: AUTHRELAY_CA_FILE makes the workspace client, the Java git
 * helper and the admin's URL client trust it; without it, with another CA, or with a file that is not a CA bundle they
 * refuse, and a name the certificate does not carry is refused even with the right CA.
 */
class ClientCaFileTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @TempDir
    static Path dir;

    private static Daemon daemon;
    private static PrivateCa ca;
    private static String workspaceToken;

    @BeforeAll
    static void start() throws Exception {
        ca = PrivateCa.create(dir.resolve("ca"), "Broker Test CA");
        PrivateCa.Issued tls = ca.issue("broker", "DNS:localhost");
        Path home = dir.resolve("home");
        daemon = Daemon.start(
                new DaemonOptions(
                        home,
                        ListenAddress.parse("127.0.0.1:0"),
                        null,
                        tls.certificate(),
                        tls.key(),
                        false,
                        null,
                        PollPolicy.defaults(),
                        null,
                        null,
                        null),
                Map.of(),
                Clock.systemUTC());
        BrokerClient admin = new BrokerClient(BrokerConfig.forAdmin(Map.of(), home), QUIET);
        assertThat(admin.send("POST", "/v1/providers", "{\"name\":\"gh\",\"type\":\"static\",\"host\":\"github.com\"}")
                        .status())
                .isEqualTo(201);
        assertThat(admin.send("PUT", "/v1/credentials/gh", "{\"secret\":\"static-secret-4f1c\"}")
                        .status())
                .isEqualTo(200);
        BrokerClient.Response workspace = admin.send("POST", "/v1/workspaces", "{\"name\":\"ws\",\"grants\":[\"gh\"]}");
        assertThat(workspace.status()).isEqualTo(201);
        workspaceToken = workspace.body().replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    @AfterAll
    static void stop() {
        if (daemon != null) daemon.close();
    }

    @Test
    void theWorkspaceClientTrustsTheBrokerThroughTheCaFile() throws Exception {
        VendResult result = WorkspaceClient.fromEnvironment(env("localhost", ca.certificate()), QUIET)
                .vend(VendRequest.forProvider("gh"));
        assertThat(result).isInstanceOf(VendResult.Granted.class);
        assertThat(((VendResult.Granted) result).password()).isEqualTo("static-secret-4f1c");
    }

    @Test
    void theJavaGitHelperTrustsTheBrokerThroughTheCaFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = GitCredentialHelper.run(
                new String[] {"get"},
                env("localhost", ca.certificate()),
                new ByteArrayInputStream("protocol=https\nhost=github.com\n\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("password=static-secret-4f1c");
    }

    @Test
    void withoutTheCaFileTheBrokerIsNotTrusted() throws Exception {
        Map<String, String> env = env("localhost", null);
        assertThatThrownBy(() -> client(env).send("GET", "/v1/workspace", null))
                .isInstanceOf(BrokerUnreachableException.class);
        assertThat(WorkspaceClient.fromEnvironment(env, QUIET).vend(VendRequest.forProvider("gh")))
                .isNotInstanceOf(VendResult.Granted.class);
    }

    @Test
    void aCaThatDidNotSignTheBrokerIsRefused() throws Exception {
        PrivateCa other = PrivateCa.create(dir.resolve("other"), "Another CA");
        assertThatThrownBy(() -> client(env("localhost", other.certificate())).send("GET", "/v1/workspace", null))
                .isInstanceOf(BrokerUnreachableException.class);
    }

    @Test
    void hostnameVerificationStaysOn() {
        // Signed by the trusted CA, but for localhost only: 127.0.0.1 is not a name the certificate carries.
        assertThatThrownBy(() -> client(env("127.0.0.1", ca.certificate())).send("GET", "/v1/workspace", null))
                .isInstanceOf(BrokerUnreachableException.class);
    }

    @Test
    void aMissingUnreadableOrBadCaFileIsAConfigurationError() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "-----BEGIN CERTIFICATE-----\nnope\n");
        Path key = Files.writeString(
                dir.resolve("key.pem"), Files.readString(ca.issue("k", "DNS:k").key()));
        for (Path bad : new Path[] {dir.resolve("missing.pem"), dir, notPem, key}) {
            assertThatThrownBy(() -> BrokerConfig.forWorkspace(env("localhost", bad)))
                    .as(bad.toString())
                    .isInstanceOf(BrokerConfigException.class)
                    .hasMessageStartingWith("AUTHRELAY_CA_FILE: ")
                    .message()
                    .doesNotContain("\n");
            assertThatThrownBy(() -> BrokerConfig.anonymous(env("localhost", bad)))
                    .isInstanceOf(BrokerConfigException.class);
        }
        // The git helper stops git (quit=1) with the reason, rather than asking the next helper or the user.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GitCredentialHelper.run(
                new String[] {"get"},
                env("localhost", dir.resolve("missing.pem")),
                new ByteArrayInputStream("protocol=https\nhost=github.com\n\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("AUTHRELAY_CA_FILE");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("quit=1").doesNotContain("password=");
    }

    @Test
    void theShHelperTrustsTheBrokerThroughTheCaFileWithCurlAndWithWget() throws Exception {
        Path wgetOnly = wgetOnlyPath();
        for (String path : new String[] {System.getenv("PATH"), wgetOnly.toString()}) {
            assertThat(shHelper(path, ca.certificate())).as(path).contains("password=static-secret-4f1c");
            assertThat(shHelper(path, null)).as(path).contains("quit=1").doesNotContain("password=");
            PrivateCa other = PrivateCa.create(dir.resolve("sh-other"), "Another CA");
            assertThat(shHelper(path, other.certificate())).as(path).doesNotContain("password=");
            assertThat(shHelper(path, dir.resolve("missing.pem")))
                    .as(path)
                    .contains("AUTHRELAY_CA_FILE: cannot read")
                    .doesNotContain("password=");
        }
    }

    /** The helper under dash, with curl on the PATH it is given or, failing curl, GNU wget; stdout then stderr. */
    private static String shHelper(String path, Path caFile) throws Exception {
        Path script = dir.resolve("helper.sh");
        try (var in = ClientCaFileTest.class.getResourceAsStream("/io/authrelay/server/http/helper.sh")) {
            Files.write(script, in.readAllBytes());
        }
        Map<String, String> env = env("localhost", caFile);
        env.put("PATH", path);
        env.put("HOME", dir.toString());
        ProcessBuilder builder = new ProcessBuilder(ExternalTool.require("dash").toString(), script.toString(), "get");
        builder.environment().clear();
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().write("protocol=https\nhost=github.com\n\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out + err;
    }

    /** BusyBox's applets without curl, wget or nc, and GNU wget: a workspace whose only HTTP client is GNU wget. */
    private static Path wgetOnlyPath() throws Exception {
        Path tools = dir.resolve("wget-only");
        if (Files.isDirectory(tools)) return tools;
        Files.createDirectories(tools);
        String busybox = ExternalTool.require("busybox").toString();
        Process list = new ProcessBuilder(busybox, "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList()) {
            if (!applet.isBlank() && !java.util.Set.of("curl", "wget", "nc").contains(applet)) {
                Files.createSymbolicLink(tools.resolve(applet), Path.of(busybox));
            }
        }
        list.waitFor();
        Files.createSymbolicLink(tools.resolve("wget"), ExternalTool.require("wget"));
        return tools;
    }

    private static BrokerClient client(Map<String, String> env) throws BrokerConfigException {
        return new BrokerClient(BrokerConfig.forWorkspace(env).withTimeoutMillis(3_000), QUIET);
    }

    private static Map<String, String> env(String host, Path caFile) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHRELAY_URL", "https://" + host + ":" + daemon.port());
        env.put("AUTHRELAY_TOKEN", workspaceToken);
        env.put("AUTHRELAY_CONFIG", dir.resolve("no-client.conf").toString());
        env.put("AUTHRELAY_TIMEOUT", "3");
        if (caFile != null) env.put("AUTHRELAY_CA_FILE", caFile.toString());
        return env;
    }
}
