package io.authrelay.cli;

import io.authrelay.cli.Output.Column;
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
        JsonNode providers = status.path("providers");
        if (providers.isEmpty())
            context.out()
                    .println("no providers yet: add one with authrelay provider add NAME --type static --host HOST");
        else
            Output.table(
                    context.out(),
                    providers,
                    List.of(
                            Column.field("PROVIDER", "name"),
                            Column.field("TYPE", "type"),
                            Column.field("HOST", "host"),
                            Column.field("CREDENTIAL", "credential_state"),
                            Column.field("ACCOUNT", "account"),
                            Column.field("EXPIRES", "expires_at"),
                            Column.field("SECONDS_LEFT", "seconds_left"),
                            Column.field("LAST_ERROR", "last_error")));
        JsonNode logins = status.path("logins");
        if (!logins.isEmpty()) {
            context.out().println();
            Output.table(context.out(), logins, LoginTable.COLUMNS);
        }
        context.out().flush();
        return ExitCodes.OK;
    }
}
