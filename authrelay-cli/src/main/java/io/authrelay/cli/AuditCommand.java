package io.authrelay.cli;

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
            List<List<String>> rows = events.path("events")
                    .valueStream()
                    .map(e -> List.of(
                            Output.text(e, "at"),
                            Output.text(e, "actor"),
                            Output.text(e, "origin"),
                            Output.text(e, "action"),
                            Output.text(e, "target"),
                            Output.text(e, "result"),
                            Output.text(e, "detail")))
                    .toList();
            Output.table(context.out(), List.of("AT", "ACTOR", "FROM", "ACTION", "TARGET", "RESULT", "DETAIL"), rows);
        }
        return ExitCodes.OK;
    }
}
