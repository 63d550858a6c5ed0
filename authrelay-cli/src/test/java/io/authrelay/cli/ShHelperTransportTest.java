package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.client.FakeBroker;
import io.authrelay.client.FakeBroker.Answer;
import io.authrelay.server.ExternalTool;
import io.authrelay.server.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the sh helper reaches the broker with the tools a workspace has: curl, GNU wget, or (BusyBox) nc to a broker on
 * loopback; the retry rules on each; what it says when no tool can carry the token privately; and that the token
 * is in no process's argv.
 */
class ShHelperTransportTest {
    private static final String TOKEN = "arw_" + "t".repeat(40);
    private static final String ASK = "protocol=https\nhost=github.com\npath=org/repo.git\n\n";
    private static final Answer GRANTED = Answer.json(200, "username=x-access-token\npassword=p-123\n");
    private static final String INSTALL_CURL = "install curl (apk add curl on Alpine, apt-get install curl on Debian)";

    @TempDir
    Path dir;

    private Map<String, String> env(String url, Path tools) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHRELAY_URL", url);
        env.put("AUTHRELAY_TOKEN", TOKEN);
        env.put("AUTHRELAY_CONFIG", "/nonexistent/client.conf");
        env.put("AUTHRELAY_DEBUG", "1");
        if (tools != null) env.put("PATH", tools.toString());
        return env;
    }

    private GitWorld.Run busybox(String url, Path tools, String operation) throws Exception {
        return GitWorld.helper(
                env(url, tools),
                ASK,
                ShHelper.busybox(),
                "sh",
                ShHelper.script(dir).toString(),
                operation);
    }

    @Test
    void busyboxAloneRetriesWhatIsTransientThroughNc() throws Exception {
        Path tools = ShHelper.busyboxOnly(dir.resolve("busybox"));
        Answer busy = Answer.error(503, "provider_unavailable", "busy", null);
        try (FakeBroker broker = new FakeBroker((i, r) -> i < 2 ? busy : GRANTED)) {
            GitWorld.Run run = busybox(broker.url(), tools, "get");
            assertThat(run.out()).isEqualTo("username=x-access-token\npassword=p-123\n");
            assertThat(run.err()).contains("attempt 3 POST " + broker.url() + "/v1/vend via nc -> 200");
            assertThat(broker.requests()).hasSize(3).allSatisfy(r -> {
                assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN);
                assertThat(r.contentType()).isEqualTo("text/plain");
                assertThat(r.body()).isEqualTo("protocol=https\nhost=github.com\npath=org/repo.git\n");
            });
        }
        Answer limited = Answer.error(429, "rate_limited", "slow down", null).retryAfter("1");
        try (FakeBroker broker = new FakeBroker((i, r) -> i < 1 ? limited : GRANTED)) {
            GitWorld.Run run = busybox(broker.url(), tools, "get");
            assertThat(run.out()).contains("password=p-123");
            assertThat(broker.requests()).hasSize(2);
            assertThat(run.err()).contains("waiting 1000 ms before attempt 2"); // Retry-After, not a random backoff
        }
        try (FakeBroker broker =
                FakeBroker.always(Answer.error(401, "workspace_revoked", "workspace token revoked", "ask an admin"))) {
            GitWorld.Run run = busybox(broker.url(), tools, "get");
            assertThat(run.out()).isEqualTo("quit=1\n");
            assertThat(run.err()).endsWith("authrelay: workspace token revoked: ask an admin\n");
            assertThat(broker.requests()).hasSize(1);
            assertThat(busybox(broker.url(), tools, "erase").out()).isEmpty();
            assertThat(broker.requests().get(1).path()).isEqualTo("/v1/vend/reject");
        }
        GitWorld.Run nobody = busybox("http://127.0.0.1:" + TestBroker.freePort(), tools, "get");
        assertThat(nobody.out()).isEqualTo("quit=1\n");
        assertThat(nobody.err()).contains("attempt 3 POST").contains("broker unreachable at http://127.0.0.1:");
    }

    @Test
    void withoutAToolThatKeepsTheTokenPrivateItSaysWhatToInstall() throws Exception {
        Path busybox = ShHelper.busyboxOnly(dir.resolve("busybox"));
        GitWorld.Run https = busybox("https://broker.example:7878", busybox, "get");
        assertThat(https.out()).isEqualTo("quit=1\n");
        assertThat(https.err())
                .isEqualTo("authrelay: cannot reach https://broker.example:7878 without curl or GNU wget (nc is used"
                        + " only for plain http to 127.0.0.1, localhost or ::1; BusyBox wget cannot keep the token out"
                        + " of argv): " + INSTALL_CURL + "\n");

        Path noNc = ShHelper.busyboxOnly(dir.resolve("busybox-without-nc"), "nc");
        try (FakeBroker broker = FakeBroker.always(GRANTED)) {
            GitWorld.Run run = busybox(broker.url(), noNc, "get");
            assertThat(run.out()).isEqualTo("quit=1\n");
            assertThat(run.err())
                    .isEqualTo("authrelay: cannot reach " + broker.url() + ": curl, GNU wget and nc are all missing"
                            + " (BusyBox wget cannot keep the token out of argv): " + INSTALL_CURL + "\n");
            assertThat(busybox(broker.url(), noNc, "erase").out()).isEmpty();
            assertThat(broker.requests()).isEmpty();
        }
    }

    @Test
    void gnuWgetIsTheFallbackAndLeavesNoFileBehind() throws Exception {
        Path tools = Files.createDirectories(dir.resolve("wget-tools"));
        for (String tool : List.of("wget", "mktemp", "rm", "cat", "od", "sleep")) {
            Files.createSymbolicLink(tools.resolve(tool), ExternalTool.require(tool));
        }
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        try (FakeBroker broker = FakeBroker.always(GRANTED)) {
            Map<String, String> env = env(broker.url(), tools);
            env.put("TMPDIR", tmp.toString());
            GitWorld.Run run =
                    GitWorld.helper(env, ASK, "dash", ShHelper.script(dir).toString(), "get");
            assertThat(run.out()).isEqualTo("username=x-access-token\npassword=p-123\n");
            assertThat(run.err()).contains("via wget -> 200");
            assertThat(broker.requests().get(0).authorization()).isEqualTo("Bearer " + TOKEN);
        }
        try (var left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theTokenIsInNoArgvAndACallStartsOneOrTwoPrograms() throws Exception {
        Path tools = ShHelper.busyboxOnly(dir.resolve("busybox"));
        Path script = ShHelper.script(dir);
        try (FakeBroker broker = FakeBroker.always(GRANTED)) {
            Path busyboxTrace = dir.resolve("busybox.trace");
            GitWorld.Run viaNc =
                    traced(busyboxTrace, env(broker.url(), tools), ShHelper.busybox(), "sh", script.toString(), "get");
            assertThat(viaNc.out()).contains("password=p-123");
            // the shell itself, then timeout and nc
            assertThat(programsStarted(busyboxTrace)).containsExactlyInAnyOrder("busybox", "timeout", "nc");

            ExternalTool.require("curl");
            Path dashTrace = dir.resolve("dash.trace");
            GitWorld.Run viaCurl = traced(dashTrace, env(broker.url(), null), "dash", script.toString(), "get");
            assertThat(viaCurl.out()).contains("password=p-123");
            assertThat(programsStarted(dashTrace)).containsExactlyInAnyOrder("dash", "curl");
            assertThat(traceText(busyboxTrace) + traceText(dashTrace)).doesNotContain(TOKEN);
            assertThat(broker.requests()).hasSize(2);
        }
    }

    /** The helper run under strace, every execve of every process written to {@code trace.PID}, arguments whole. */
    private static GitWorld.Run traced(Path trace, Map<String, String> env, String... command) {
        List<String> traced = new ArrayList<>(List.of(
                ExternalTool.require("strace").toString(),
                "-ff",
                "-s",
                "100000",
                "-e",
                "trace=execve",
                "-o",
                trace.toString()));
        traced.addAll(List.of(command));
        return GitWorld.helper(env, ASK, traced.toArray(String[]::new));
    }

    /** strace -ff writes one file per process, {@code trace.PID}. */
    private static List<Path> traceFiles(Path trace) throws Exception {
        String prefix = trace.getFileName() + ".";
        try (var files = Files.list(trace.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .toList();
        }
    }

    /** The programs a traced run started: its successful execve calls. */
    private static List<String> programsStarted(Path trace) throws Exception {
        Pattern exec = Pattern.compile("^execve\\(\"(?:[^\"]*/)?([^\"/]+)\", .*\\) = 0$");
        List<String> programs = new ArrayList<>();
        for (Path file : traceFiles(trace)) {
            for (String line : Files.readAllLines(file)) {
                Matcher m = exec.matcher(line);
                if (m.find()) programs.add(m.group(1));
            }
        }
        return programs;
    }

    private static String traceText(Path trace) throws Exception {
        StringBuilder all = new StringBuilder();
        for (Path file : traceFiles(trace)) all.append(Files.readString(file));
        return all.toString();
    }
}
