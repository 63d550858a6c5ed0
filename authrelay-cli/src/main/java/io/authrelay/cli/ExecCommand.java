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
        description =
                "Run a command with fresh tokens in its environment (GH_TOKEN/GITHUB_TOKEN for GitHub), never in argv.")
final class ExecCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(
            names = {"--provider", "-p"},
            required = true,
            paramLabel = "NAME[=ENVVAR]",
            description = "Provider to vend; ENVVAR names the variable (comma-separated for several). Repeatable.")
    List<String> providers;

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
                names, envNames, command, context.env(), new PrintStream(System.err, true, StandardCharsets.UTF_8));
    }
}
