package io.authrelay.cli;

import io.authrelay.client.git.GitCredentialHelper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "git-credential",
        description = "git's credential helper protocol (get, store, erase); same as bin/git-credential-authrelay.")
final class GitCredentialCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(arity = "0..*", paramLabel = "OPERATION")
    List<String> operation;

    @Option(names = "--relay", description = "Answer the workspace token for the broker's own URL (setup-git --relay).")
    boolean relay;

    GitCredentialCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        // The helper owns the protocol: stdout carries only its answer, so it writes to the raw streams.
        List<String> args = new java.util.ArrayList<>();
        if (relay) args.add("--relay");
        if (operation != null) args.addAll(operation);
        return GitCredentialHelper.run(
                args.toArray(String[]::new),
                context.env(),
                context.stdin(),
                new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8));
    }
}
