package io.authrelay.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
        name = "diagnose",
        description = "Explain a login session or a provider's connection: timeline, what is wrong, what to do.")
final class DiagnoseCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "SESSION|PROVIDER")
    String target;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    DiagnoseCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        JsonNode diagnosis = context.api().get("/v1/diagnose/" + PathSegment.encode(target));
        if (json) {
            Output.json(context.out(), diagnosis);
            return ExitCodes.OK;
        }
        var out = context.out();
        out.printf("%s: %s%n", Output.text(diagnosis, "subject"), Output.text(diagnosis, "state"));
        out.println(Output.text(diagnosis, "summary"));
        out.println("what to do: " + Output.text(diagnosis, "advice"));
        out.println();
        for (JsonNode e : diagnosis.path("timeline")) {
            int count = e.path("count").asInt(1);
            out.printf(
                    "%s  %-10s %-5s %-22s %s%s%n",
                    Output.text(e, "at"),
                    Output.text(e, "kind"),
                    e.path("http_status").isNull() || e.path("http_status").isMissingNode()
                            ? ""
                            : e.path("http_status").asString(),
                    Output.text(e, "code"),
                    count > 1 ? "x" + count + " until " + Output.text(e, "last_at") + " " : "",
                    e.path("detail").isNull() ? "" : e.path("detail").asString(""));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
