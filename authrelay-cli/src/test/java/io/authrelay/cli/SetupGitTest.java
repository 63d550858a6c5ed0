package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.ExternalTool;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `authrelay setup-git` writes the helper for each host into the global git config, idempotently, and --unset removes it. */
class SetupGitTest {
    @TempDir
    Path tmp;

    private String helpers(Map<String, String> env, String host) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder("git", "config", "--global", "--get-all", "credential.https://" + host + ".helper");
        builder.environment().putAll(env);
        Process get = builder.start();
        String out = new String(get.getInputStream().readAllBytes());
        get.waitFor();
        return out;
    }

    @Test
    void writesResetsAndRemovesTheHelperPerHost() throws Exception {
        ExternalTool.require("git");
        Path config = tmp.resolve("gitconfig");
        Map<String, String> env = Map.of(
                "HOME", tmp.toString(), "GIT_CONFIG_GLOBAL", config.toString(), "AUTHRELAY_ROOT", tmp.toString());
        for (int run = 0; run < 2; run++) {
            CliRun result = Cli.run(env, null, "setup-git", "--host", "github.com", "--host", "git.example.test");
            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(result.out()).contains("git uses authrelay for https://github.com", "https://git.example.test");
        }
        assertThat(helpers(env, "github.com")).isEqualTo("\n!authrelay git-credential\n");
        assertThat(Files.readString(config)).contains("useHttpPath = true");

        assertThat(Cli.run(env, null, "setup-git", "--host", "github.com", "--unset")
                        .exit())
                .isZero();
        assertThat(helpers(env, "github.com")).isEmpty();
        assertThat(helpers(env, "git.example.test")).contains("authrelay git-credential");

        CliRun noToken = Cli.run(
                Map.of(
                        "HOME",
                        tmp.toString(),
                        "GIT_CONFIG_GLOBAL",
                        config.toString(),
                        "AUTHRELAY_URL",
                        "http://127.0.0.1:" + TestBroker.freePort()),
                null,
                "setup-git");
        assertThat(noToken.exit()).isIn(ExitCodes.AUTH, ExitCodes.UNREACHABLE);
        assertThat(noToken.err()).startsWith("authrelay: ").contains("--host");
    }

    @Test
    void theShHelperIsWrittenQuotedAndAPathItCannotUseIsAUsageError() throws Exception {
        ExternalTool.require("git");
        Path config = tmp.resolve("gitconfig");
        Map<String, String> env = Map.of("HOME", tmp.toString(), "GIT_CONFIG_GLOBAL", config.toString());
        Path script = Files.writeString(
                Files.createDirectories(tmp.resolve("dir with space")).resolve("helper.sh"), "");
        CliRun result = Cli.run(env, null, "setup-git", "--host", "github.com", "--sh-helper", script.toString());
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(helpers(env, "github.com")).isEqualTo("\n!sh '" + script + "'\n");

        CliRun missing = Cli.run(env, null, "setup-git", "--host", "github.com", "--sh-helper", tmp + "/none.sh");
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).startsWith("authrelay: --sh-helper: cannot read " + tmp + "/none.sh");
        Path quoted = Files.writeString(tmp.resolve("it's.sh"), "");
        CliRun quote = Cli.run(env, null, "setup-git", "--host", "github.com", "--sh-helper", quoted.toString());
        assertThat(quote.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(quote.err()).contains("--sh-helper: the path contains a single quote");
        assertThat(helpers(env, "github.com"))
                .as("a refused run changes nothing")
                .isEqualTo("\n!sh '" + script + "'\n");
    }
}
