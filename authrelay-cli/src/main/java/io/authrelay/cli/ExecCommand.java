package io.authrelay.cli;

import io.authrelay.client.Exec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description =
                "Run a command with fresh tokens in its environment (GH_TOKEN/GITHUB_TOKEN for GitHub), never in argv.",
        footer = {
            "",
            "The command keeps the rest of the environment, AUTHRELAY_TOKEN and AUTHRELAY_URL included, so git and"
                    + " credential helpers it runs can still ask the broker for anything this workspace is granted."
                    + " With --isolate it gets only the vended variables: AUTHRELAY_TOKEN, AUTHRELAY_CONFIG and"
                    + " AUTHRELAY_URL are removed (a client.conf it can read still holds the token).",
            "",
            "An AI CLI's login (Claude Code, Codex, Gemini CLI: the broker says kind cli-login) gives the command"
                    + " exactly the variables the broker renders for that CLI (CLAUDE_CODE_OAUTH_TOKEN, ...), access"
                    + " only. exec writes no files and leaves HOME alone: for a CLI that reads its credential from a"
                    + " file (codex's auth.json), write it first with authrelay materialize NAME --home DIR."
        })
final class ExecCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(
            names = {"--provider", "-p"},
            required = true,
            paramLabel = "NAME[=ENVVAR]",
            description = "Provider to vend; ENVVAR names the variable (comma-separated for several). Repeatable.")
    List<String> providers;

    @Option(
            names = "--isolate",
            description = "Remove AUTHRELAY_TOKEN, AUTHRELAY_CONFIG and AUTHRELAY_URL from the command's environment.")
    boolean isolate;

    @Option(
            names = "--relay",
            description = "Point each AI CLI at the broker's credential relay (AUTHRELAY_URL/relay/api/NAME) with the"
                    + " workspace token as its credential, and NODE_EXTRA_CA_CERTS at AUTHRELAY_CA_FILE: no vendor token"
                    + " reaches the command. For codex it writes a private CODEX_HOME for the run, removed afterwards.")
    boolean relay;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments, after --.")
    List<String> command;

    ExecCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<String> names = new ArrayList<>();
        Map<String, String> envNames = new LinkedHashMap<>();
        for (String spec : providers) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? spec : spec.substring(0, eq);
            names.add(name);
            if (eq >= 0) envNames.put(name, spec.substring(eq + 1));
        }
        return Exec.run(
                names,
                envNames,
                command,
                context.env(),
                isolate,
                relay,
                new PrintStream(System.err, true, StandardCharsets.UTF_8));
    }
}
