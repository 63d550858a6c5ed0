package io.authrelay.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "status", description = "Show the daemon and every provider's credential state.")
final class StatusCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    StatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Api api = context.api();
        JsonNode status = api.get("/v1/status");
        if (json) {
            Output.json(context.out(), status);
            return ExitCodes.OK;
        }
        context.out()
                .printf(
                        "authrelay %s (API v%s), %s: %s, up %ss%n",
                        Output.text(status, "version"),
                        Output.text(status, "api_version"),
                        api.config().endpoint().describe(),
                        status.path("ready").asBoolean() ? "ready" : "NOT READY",
                        Output.text(status, "uptime_seconds"));
        context.out()
                .printf(
                        "home %s, database %s, scheduler heartbeat %ss ago%n%n",
                        Output.text(status, "home"),
                        Output.text(status, "database"),
                        Output.text(status, "scheduler_heartbeat_age_seconds"));
        List<List<String>> rows = status.path("providers")
                .valueStream()
                .map(p -> List.of(
                        Output.text(p, "name"),
                        Output.text(p, "type"),
                        Output.text(p, "host"),
                        Output.text(p, "credential_state"),
                        Output.text(p, "account"),
                        Output.text(p, "expires_at"),
                        Output.text(p, "seconds_left"),
                        Output.text(p, "last_error")))
                .toList();
        if (rows.isEmpty())
            context.out()
                    .println("no providers yet: add one with authrelay provider add NAME --type static --host HOST");
        else
            Output.table(
                    context.out(),
                    List.of(
                            "PROVIDER",
                            "TYPE",
                            "HOST",
                            "CREDENTIAL",
                            "ACCOUNT",
                            "EXPIRES",
                            "SECONDS_LEFT",
                            "LAST_ERROR"),
                    rows);
        List<List<String>> logins = LoginTable.rows(status.path("logins"));
        if (!logins.isEmpty()) {
            context.out().println();
            Output.table(context.out(), LoginTable.HEADERS, logins);
        }
        context.out().flush();
        return ExitCodes.OK;
    }
}
