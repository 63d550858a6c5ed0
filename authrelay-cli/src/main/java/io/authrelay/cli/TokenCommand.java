package io.authrelay.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "token",
        description = "Print a fresh access token for a provider, refreshing it first if needed (audited).")
final class TokenCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "PROVIDER")
    String provider;

    @Option(names = "--json", description = "Print JSON: {\"provider\":…,\"token\":…}.")
    boolean json;

    TokenCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        var token = context.api().post("/v1/credentials/" + PathSegment.encode(provider) + "/token", Map.of());
        if (json)
            Output.json(
                    context.out(),
                    Map.of("provider", provider, "token", token.path("token").asString()));
        else context.out().println(token.path("token").asString());
        context.out().flush();
        return ExitCodes.OK;
    }
}
