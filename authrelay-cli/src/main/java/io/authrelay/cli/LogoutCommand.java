package io.authrelay.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logout", description = "Revoke a provider's tokens where the provider supports it, then delete them.")
final class LogoutCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "PROVIDER")
    String provider;

    @Option(names = "--json", description = "Print JSON: {\"provider\":…,\"revoked\":true|false}.")
    boolean json;

    LogoutCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        var result = context.api().post("/v1/credentials/" + PathSegment.encode(provider) + "/logout", Map.of());
        if (json) {
            Output.json(
                    context.out(),
                    Map.of(
                            "provider",
                            provider,
                            "revoked",
                            result.path("revoked").asBoolean()));
            return ExitCodes.OK;
        }
        context.out()
                .println((result.path("revoked").asBoolean()
                                ? "revoked and deleted"
                                : "deleted (the provider offers no revocation)")
                        + " the credential of " + provider);
        context.out().flush();
        return ExitCodes.OK;
    }
}
