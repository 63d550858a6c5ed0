package io.authrelay.cli;

import io.authrelay.cli.Output.Column;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
        name = "workspace",
        description = "Manage workspaces: scoped, revocable tokens for agents' sandboxes.",
        mixinStandardHelpOptions = true,
        subcommands = {
            WorkspaceCommand.Create.class,
            WorkspaceCommand.ListWorkspaces.class,
            WorkspaceCommand.Show.class,
            WorkspaceCommand.Revoke.class,
            WorkspaceCommand.Rotate.class,
            WorkspaceCommand.GrantMore.class,
            WorkspaceCommand.Ungrant.class,
            WorkspaceCommand.Delete.class
        })
final class WorkspaceCommand {

    static String grants(JsonNode workspace) {
        return workspace
                .path("grants")
                .valueStream()
                .map(g -> g.path("provider").asString() + "=" + g.path("host").asString()
                        + (g.path("path").isNull() || g.path("path").isMissingNode()
                                ? ""
                                : "/" + g.path("path").asString())
                        + (g.path("allow_exec").asBoolean() ? " (exec)" : ""))
                .collect(Collectors.joining(" "));
    }

    static void printIssued(CliContext context, JsonNode issued, boolean json, String verb) {
        if (json) {
            Output.json(context.out(), issued);
            return;
        }
        context.out()
                .printf(
                        "%s workspace %s (grants: %s; expires %s)%n",
                        verb, Output.text(issued, "name"), grants(issued), Output.text(issued, "expires_at"));
        printWarnings(context, issued);
        context.out().println("token (shown once; give it to the workspace as AUTHRELAY_TOKEN):");
        context.out().println(Output.text(issued, "token"));
        context.out().flush();
    }

    /** Warnings go to stderr: they are for the person, and stdout may be a script's. */
    static void printWarnings(CliContext context, JsonNode answer) {
        answer.path("warnings").valueStream().forEach(w -> context.err().println("warning: " + w.asString()));
        context.err().flush();
    }

    @Command(
            name = "create",
            description = {
                "Create a workspace and print its token once.",
                "A grant decides who receives a credential, not what the credential can do: a grant for"
                        + " github.com/my-org/* hands the provider's whole token to requests for my-org's"
                        + " repositories; it does not make the token repository-scoped.",
                "Grants serve https only (plain http only for a provider added with --allow-http)."
            })
    static final class Create implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(
                names = "--grant",
                required = true,
                paramLabel = "PROVIDER[=HOST[/PATH]]",
                description = "What it may receive, e.g. github or github=github.com/my-org/*. Repeatable.")
        List<String> grants;

        @Option(
                names = "--allow-exec",
                description = "Let path-limited grants also serve requests that name only the provider"
                        + " (authrelay exec --provider), which cannot say which repository they are for.")
        boolean allowExec;

        @Option(names = "--ttl", description = "Token lifetime, e.g. 8h, 7d, or never (default 24h).")
        String ttl;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Create(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("grants", grants);
            if (allowExec) body.put("allow_exec", true);
            if (ttl != null) body.put("ttl", ttl);
            printIssued(context, context.api().post("/v1/workspaces", body), json, "created");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List workspaces.")
    static final class ListWorkspaces implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListWorkspaces(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode list = context.api().get("/v1/workspaces");
            if (json) {
                Output.json(context.out(), list);
            } else {
                Output.table(
                        context.out(),
                        list.path("workspaces"),
                        List.of(
                                Column.field("NAME", "name"),
                                Column.field("STATE", "state"),
                                Column.field("EXPIRES", "expires_at"),
                                new Column("GRANTS", WorkspaceCommand::grants)));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show one workspace.")
    static final class Show implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Show(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode w = context.api().get("/v1/workspaces/" + PathSegment.encode(name));
            if (json) {
                Output.json(context.out(), w);
            } else {
                context.out()
                        .printf(
                                "%s: %s, expires %s, created %s%ngrants: %s%n",
                                Output.text(w, "name"),
                                Output.text(w, "state"),
                                Output.text(w, "expires_at"),
                                Output.text(w, "created_at"),
                                grants(w));
                context.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", description = "Revoke a workspace's token; it fails from the next request on.")
    static final class Revoke extends NamedAction {
        Revoke(CliContext context) {
            super(context, "workspaces", "revoke", "revoked workspace");
        }

        @Parameters(index = "0", paramLabel = "NAME")
        void name(String name) {
            this.name = name;
        }
    }

    @Command(
            name = "grant",
            description = "Add grants to a workspace; its token stays the same. A grant decides who receives a"
                    + " credential, not what the credential can do.")
    static final class GrantMore implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(
                names = "--grant",
                required = true,
                paramLabel = "PROVIDER[=HOST[/PATH]]",
                description = "What it may also receive. Repeatable.")
        List<String> grants;

        @Option(names = "--allow-exec", description = "Let these path-limited grants serve exec --provider too.")
        boolean allowExec;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        GrantMore(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("grants", grants);
            if (allowExec) body.put("allow_exec", true);
            JsonNode changed = context.api().post("/v1/workspaces/" + PathSegment.encode(name) + "/grants", body);
            printWarnings(context, changed);
            Output.result(context, json, changed, "workspace " + name + " grants: " + grants(changed));
            return ExitCodes.OK;
        }
    }

    @Command(name = "ungrant", description = "Remove grants from a workspace; at least one must remain.")
    static final class Ungrant implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(
                names = "--grant",
                required = true,
                paramLabel = "PROVIDER[=HOST[/PATH]]",
                description = "A grant to remove, as it was given. Repeatable.")
        List<String> grants;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Ungrant(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode changed = context.api()
                    .post("/v1/workspaces/" + PathSegment.encode(name) + "/ungrant", Map.of("grants", grants));
            Output.result(context, json, changed, "workspace " + name + " grants: " + grants(changed));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete a revoked or expired workspace, so its name can be used again.")
    static final class Delete implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Delete(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.api().delete("/v1/workspaces/" + PathSegment.encode(name));
            Output.result(context, json, Map.of("deleted", name), "deleted workspace " + name);
            return ExitCodes.OK;
        }
    }

    @Command(name = "rotate", description = "Issue a new token (the old one stops working) and print it once.")
    static final class Rotate implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--ttl", description = "New token lifetime (default: the same as before).")
        String ttl;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Rotate(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = ttl == null ? Map.of() : Map.of("ttl", ttl);
            printIssued(
                    context,
                    context.api().post("/v1/workspaces/" + PathSegment.encode(name) + "/rotate", body),
                    json,
                    "rotated");
            return ExitCodes.OK;
        }
    }
}
