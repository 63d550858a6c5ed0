package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.client.FakeBroker;
import io.authrelay.client.FakeBroker.Answer;
import io.authrelay.client.git.GitCredentialHelper;
import io.authrelay.server.ExternalTool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of attributes that git, the broker and a forge could read differently, and one answer from both
 * helpers, before anything is sent: for {@code get}, one line naming the attribute and {@code quit=1}; for
 * {@code erase}, the same line and nothing more. The Java helper runs in this JVM, the sh helper under dash (with
 * curl) and under BusyBox alone (with nc), each against a broker that counts what reaches it.
 */
class UnsafeAttributesTest {
    private static final String TOKEN = "arw_" + "u".repeat(40);
    /** The broker serves no such host: a helper that asks it prints nothing, as for any host not ours. */
    private static final Answer NOT_OURS = Answer.error(404, "unknown_host", "no provider", null);

    @TempDir
    static Path dir;

    private static Path script;
    private static Path busyboxTools;

    /** A helper as git runs it: operation in, description on stdin. */
    private interface Helper {
        GitWorld.Run run(FakeBroker broker, String input, String operation);
    }

    @BeforeAll
    static void tools() throws Exception {
        ExternalTool.require("dash");
        ExternalTool.require("curl");
        script = ShHelper.script(dir);
        busyboxTools = ShHelper.busyboxOnly(dir.resolve("busybox"));
    }

    private static Map<String, String> env(FakeBroker broker) {
        return Map.of(
                "AUTHRELAY_URL",
                broker.url(),
                "AUTHRELAY_TOKEN",
                TOKEN,
                "AUTHRELAY_CONFIG",
                "/nonexistent/client.conf");
    }

    private static Map<String, Helper> helpers() {
        return Map.of(
                "java",
                UnsafeAttributesTest::java,
                "dash",
                (broker, input, op) -> GitWorld.helper(env(broker), input, "dash", script.toString(), op),
                "busybox",
                (broker, input, op) -> {
                    Map<String, String> env = new java.util.HashMap<>(env(broker));
                    env.put("PATH", busyboxTools.toString());
                    return GitWorld.helper(env, input, ShHelper.busybox(), "sh", script.toString(), op);
                });
    }

    private static GitWorld.Run java(FakeBroker broker, String input, String operation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = GitCredentialHelper.run(
                new String[] {operation},
                env(broker),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new GitWorld.Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), Duration.ZERO);
    }

    private static Arguments row(String input, String attribute, String reason) {
        String shown = input.replace("\r", "\\r").replace("\t", "\\t").replace("\n", "\\n");
        return Arguments.of(shown, input + "\n", "authrelay: refusing " + attribute + ": it contains " + reason + "\n");
    }

    static Stream<Arguments> unsafe() {
        String nulOrNewline = "a NUL or newline (from url=)";
        return Stream.of(
                row("protocol=https\nhost=g\u0131thub.com\n", "host", "a non-ASCII character"),
                row("protocol=https\nhost=github.com\r\r\n", "host", "whitespace"),
                row("protocol=https\nhost=user@github.com\n", "host", "userinfo (@)"),
                row("protocol=https\nhost=github.com \n", "host", "whitespace"),
                row("protocol=https\nhost=github.com\u000b\n", "host", "whitespace"),
                row("protocol=https\nhost=github.com\npath=org/re\tpo.git\n", "path", "whitespace"),
                row("protocol=https\nhost=github.com\npath=org/\u001b[31mrepo.git\n", "path", "a control character"),
                row("protocol=https\nhost=github.com\npath=org/repo.git\u007f\n", "path", "a control character"),
                row("protocol=http\u0455\nhost=github.com\n", "protocol", "a non-ASCII character"),
                row("protocol=ht tps\nhost=github.com\n", "protocol", "whitespace"),
                row("url=https://github.com%00.evil.example/org/repo.git\n", "host", nulOrNewline),
                row("url=https://github.com/org/repo%00.git\n", "path", nulOrNewline),
                row("url=https://github.com/org/repo%0a.git\n", "path", nulOrNewline),
                row("url=https://me%00@github.com/org/repo.git\n", "username", nulOrNewline),
                row("url=https://gi%C4%B1thub.com/org/repo.git\n", "host", "a non-ASCII character"),
                row("url=https://github.com%40evil.example/org/repo.git\n", "host", "userinfo (@)"),
                row("url=https://github.com%0D/org/repo.git\n", "host", "whitespace"),
                row("url=https://github.com/org/re%09po.git\n", "path", "whitespace"),
                row("url=https://github.com/org/repo%7f.git\n", "path", "a control character"),
                row("protocol=https\nhost=github.com\npath=org/caf\u00e9 x.git\n", "path", "whitespace"));
    }

    /** Every helper, given {@code input} for {@code operation}, exits 0 having printed exactly {@code out}, {@code err}. */
    private static void eachHelperAnswers(FakeBroker broker, String input, String operation, String out, String err) {
        helpers().forEach((name, helper) -> {
            GitWorld.Run run = helper.run(broker, input, operation);
            assertThat(run).as(name + " " + operation).isEqualTo(new GitWorld.Run(0, out, err, run.took()));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsafe")
    void bothHelpersRefuseItAndSendNothing(String shown, String input, String line) throws Exception {
        try (FakeBroker broker = FakeBroker.always(NOT_OURS)) {
            eachHelperAnswers(broker, input, "get", "quit=1\n", line);
            eachHelperAnswers(broker, input, "erase", "", line);
            assertThat(broker.requests()).isEmpty();
        }
    }

    static Stream<Arguments> safe() {
        return Stream.of(
                Arguments.of("a UTF-8 path", "protocol=https\nhost=github.com\npath=org/caf\u00e9.git\n\n", 1),
                Arguments.of("CRLF line ends", "protocol=https\r\nhost=github.com:8443\r\npath=org/r.git\r\n\r\n", 1),
                Arguments.of("userinfo in url=", "url=https://me:pw@github.com/org/r.git\n\n", 1),
                Arguments.of("an escape that is no byte", "url=https://github.com/org/%zz.git\n\n", 1),
                Arguments.of("not http: a certificate's path", "protocol=cert\npath=/home/me/my cert.p12\n\n", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("safe")
    void whatIsSafeStillReachesTheBroker(String shown, String input, int requestsPerHelper) throws Exception {
        try (FakeBroker broker = FakeBroker.always(NOT_OURS)) {
            eachHelperAnswers(broker, input, "get", "", "");
            assertThat(broker.requests()).hasSize(3 * requestsPerHelper);
            for (FakeBroker.Request request : broker.requests()) {
                assertThat(request.body()).as(request.toString()).doesNotContain("pw");
            }
        }
    }
}
