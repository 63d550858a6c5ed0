package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.ExternalTool;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real git, through our credential helpers, against a real authenticating git server (git http-backend behind HTTPS
 * and Basic auth) that accepts only the token the broker holds: clone, fetch, push, rotation, rejection, revocation.
 */
class GitIntegrationTest {
    @RegisterExtension
    final TestBroker broker = TestBroker.process();

    @RegisterExtension
    final GitWorld world = new GitWorld(broker);

    private String audit() {
        return broker.send("GET", "/v1/audit", null).body();
    }

    @Test
    void gitClonesFetchesAndPushesThroughTheBrokerAndFailsCleanlyWhenRevoked() throws Exception {
        GitHttpServer forge = world.forge();
        String first = "forge-token-" + UUID.randomUUID();
        forge.acceptedPassword.set(first);
        world.addProvider("forge", forge, first, false);
        String token = world.workspace("agent", "forge=" + forge.host() + "/repo");
        Map<String, String> env = world.env(token, world.javaHelper().toString(), forge);
        Path tmp = world.dir();

        GitWorld.Run clone = world.git(env, tmp, "clone", "-q", forge.url("repo.git"), "work");
        assertThat(clone.exit()).as(clone.err()).isZero();
        Path work = tmp.resolve("work");
        Files.writeString(work.resolve("README"), "one\n");
        world.git(env, work, "add", "README");
        world.git(env, work, "commit", "-q", "-m", "one");
        GitWorld.Run push = world.git(env, work, "push", "-q", "origin", "HEAD:main");
        assertThat(push.exit()).as(push.err()).isZero();

        // exec hands the token to a child process in its environment, never in argv (a whole-host grant serves it).
        String execToken = world.workspace("exec", "forge");
        Map<String, String> execEnv = Map.of("AUTHRELAY_URL", broker.url(), "AUTHRELAY_TOKEN", execToken);
        CliRun exec = Cli.run(
                execEnv,
                null,
                "exec",
                "--provider",
                "forge=FORGE_TOKEN",
                "--",
                "sh",
                "-c",
                "test \"$FORGE_TOKEN\" = \"" + first + "\" && cat /proc/self/cmdline");
        assertThat(exec.exit()).as(exec.err()).isZero();
        assertThat(exec.out()).doesNotContain(first);

        // The child keeps the workspace's way to the broker, for the git it runs; --isolate leaves it the token only.
        String probe =
                "test \"$FORGE_TOKEN\" = \"" + first + "\" && echo \"${AUTHRELAY_TOKEN:-none}|${AUTHRELAY_URL:-none}\"";
        CliRun kept = Cli.run(execEnv, null, "exec", "--provider", "forge=FORGE_TOKEN", "--", "sh", "-c", probe);
        assertThat(kept.out()).as(kept.err()).isEqualTo(execToken + "|" + broker.url() + "\n");
        CliRun isolated =
                Cli.run(execEnv, null, "exec", "--isolate", "--provider", "forge=FORGE_TOKEN", "--", "sh", "-c", probe);
        assertThat(isolated.out()).as(isolated.err()).isEqualTo("none|none\n");
        CliRun help = Cli.run(Map.of(), null, "exec", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out().replaceAll("\\s+", " "))
                .contains("--isolate")
                .contains("AUTHRELAY_TOKEN and AUTHRELAY_URL included, so git and credential helpers it runs can still"
                        + " ask the broker for anything this workspace is granted")
                .contains("With --isolate it gets only the vended variables");

        // The credential is rotated at the broker and at the forge: the very next push uses the new one.
        String second = "forge-token-" + UUID.randomUUID();
        forge.acceptedPassword.set(second);
        broker.send("PUT", "/v1/credentials/forge", "{\"secret\":\"" + second + "\"}");
        Files.writeString(work.resolve("README"), "two\n");
        world.git(env, work, "commit", "-q", "-am", "two");
        GitWorld.Run pushAfterRotation = world.git(env, work, "push", "-q", "origin", "HEAD:main");
        assertThat(pushAfterRotation.exit()).as(pushAfterRotation.err()).isZero();
        GitWorld.Run fetch = world.git(env, work, "fetch", "-q", "origin");
        assertThat(fetch.exit()).as(fetch.err()).isZero();

        // The forge stops accepting the token the broker holds: git erases it, and the broker hears about it.
        forge.acceptedPassword.set("something-else-" + UUID.randomUUID());
        GitWorld.Run rejected = world.git(env, work, "fetch", "-q", "origin");
        assertThat(rejected.exit()).isNotZero();
        Instant deadline = Instant.now().plusSeconds(10);
        while (!audit().contains("vend.rejected") && Instant.now().isBefore(deadline)) TestBroker.pause(100);
        assertThat(audit()).contains("vend.rejected");
        assertThat(broker.send("GET", "/v1/diagnose/forge", null).body()).contains("rejected by " + forge.host());

        forge.acceptedPassword.set(second);
        broker.send("POST", "/v1/workspaces/agent/revoke", "{}");
        GitWorld.Run revoked = world.git(env, work, "fetch", "-q", "origin");
        assertThat(revoked.exit()).isNotZero();
        assertThat(revoked.err()).contains("authrelay: workspace token revoked: ask an admin for a new one");
        assertThat(revoked.err()).doesNotContain("Username for");
        assertThat(revoked.took()).isLessThan(Duration.ofSeconds(15));

        String all = broker.log() + clone.err() + push.err() + revoked.err();
        assertThat(all).doesNotContain(first).doesNotContain(second).doesNotContain(token);
    }

    @Test
    void theShHelperServedByTheBrokerWorksUnderDash() throws Exception {
        ExternalTool.require("dash");
        ExternalTool.require("curl");
        shHelperServesGitAndSaysNoCleanly("sh", Map.of(), "dash");
    }

    @Test
    void theShHelperWorksWithBusyboxAsItsOnlyTools() throws Exception {
        // git from /usr/bin, its helper with BusyBox alone on PATH: no curl, BusyBox's wget and nc
        Path tools = ShHelper.busyboxOnly(world.dir().resolve("busybox"));
        GitWorld.Run clone = shHelperServesGitAndSaysNoCleanly(
                "alpine", Map.of("PATH", tools.toString(), "AUTHRELAY_DEBUG", "1"), ShHelper.busybox(), "sh");
        assertThat(clone.err()).contains("/v1/vend via nc -> 200");
    }

    /**
     * The helper served by the broker, run by {@code shell} with {@code extra} in its environment: git clones through
     * it; run directly it vends, passes on a host that is not ours, refuses a malformed request and, once the
     * workspace is revoked, says so with quit=1. @return the clone's run
     */
    private GitWorld.Run shHelperServesGitAndSaysNoCleanly(
            String workspaceName, Map<String, String> extra, String... shell) throws Exception {
        GitHttpServer forge = world.forge();
        String secret = "forge-token-" + UUID.randomUUID();
        forge.acceptedPassword.set(secret);
        world.addProvider("forge", forge, secret, false);
        String token = world.workspace(workspaceName, "forge");
        Path helper = world.shHelper();
        StringBuilder gitHelper = new StringBuilder("!");
        extra.forEach((name, value) ->
                gitHelper.append(name).append('=').append(value).append(' '));
        gitHelper.append(String.join(" ", shell)).append(' ').append(helper);
        Map<String, String> env = world.env(token, gitHelper.toString(), forge);

        GitWorld.Run clone = world.git(env, world.dir(), "clone", "-q", forge.url("repo.git"), "work-" + workspaceName);
        assertThat(clone.exit()).as(clone.err()).isZero();

        Map<String, String> workspace = new HashMap<>(extra);
        workspace.put("AUTHRELAY_URL", broker.url());
        workspace.put("AUTHRELAY_TOKEN", token);
        List<String> command = new ArrayList<>(List.of(shell));
        command.addAll(List.of(helper.toString(), "get"));
        String[] get = command.toArray(String[]::new);
        String request = "protocol=https\nhost=" + forge.host() + "\n\n";
        GitWorld.Run vend = GitWorld.helper(workspace, request, get);
        assertThat(vend.out()).contains("password=" + secret);
        assertThat(vend.exit()).isZero();

        GitWorld.Run notOurs = GitWorld.helper(workspace, "protocol=https\nhost=elsewhere.example\n\n", get);
        assertThat(notOurs.out()).isEmpty();
        assertThat(notOurs.exit()).isZero();

        GitWorld.Run malformed = GitWorld.helper(workspace, "not a key value line\n\n", get);
        assertThat(malformed.exit()).isEqualTo(2);

        broker.send("POST", "/v1/workspaces/" + workspaceName + "/revoke", "{}");
        GitWorld.Run revoked = GitWorld.helper(workspace, request, get);
        assertThat(revoked.out()).isEqualTo("quit=1\n");
        assertThat(revoked.err()).contains("authrelay: workspace token revoked: ask an admin");
        return clone;
    }
}
