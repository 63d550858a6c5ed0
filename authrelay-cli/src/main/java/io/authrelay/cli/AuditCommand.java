package io.authrelay.cli;

import io.authrelay.cli.Output.Column;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "audit", description = "Read the audit log.")
final class AuditCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--since", description = "An ISO-8601 instant or a duration back from now: 15m, 2h, 7d.")
    String since;

    @Option(names = "--limit", description = "At most this many events (default 1000).")
    Integer limit;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    AuditCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        StringBuilder query = new StringBuilder("/v1/audit?");
        if (since != null)
            query.append("since=").append(PathSegment.encode(since)).append('&');
        if (limit != null) query.append("limit=").append(limit);
        JsonNode events = context.api().get(query.toString());
        if (json) {
            Output.json(context.out(), events);
        } else {
            Output.table(
                    context.out(),
                    events.path("events"),
                    List.of(
                            Column.field("AT", "at"),
                            Column.field("ACTOR", "actor"),
                            Column.field("FROM", "origin"),
                            Column.field("ACTION", "action"),
                            Column.field("TARGET", "target"),
                            Column.field("RESULT", "result"),
                            Column.field("DETAIL", "detail")));
        }
        return ExitCodes.OK;
    }
}
