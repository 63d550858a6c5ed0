package io.authrelay.cli;

import io.authrelay.cli.Output.Column;
import io.authrelay.client.AuthrelayHome;
import io.authrelay.core.DomainException;
import io.authrelay.server.home.DriverCommandEdit;
import io.authrelay.server.home.ProvidersFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
        name = "provider",
        description = "Manage credential providers.",
        mixinStandardHelpOptions = true,
        subcommands = {ProviderCommand.Add.class, ProviderCommand.ListProviders.class, ProviderCommand.Remove.class})
final class ProviderCommand {

    @Command(name = "add", description = "Add a provider.")
    static final class Add implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(
                names = "--type",
                required = true,
                description = "static, github, oidc-device, or an AI CLI: codex, claude-code, gemini-cli (or a driver"
                        + " of providers.yaml).")
        String type;

        @Option(names = "--host", description = "Host the credential is for, e.g. github.com (required for static).")
        String host;

        @Option(names = "--username", description = "Username git sends with the secret.")
        String username;

        @Option(names = "--client-id", description = "OAuth client id (github, oidc-device).")
        String clientId;

        @Option(
                names = "--base-url",
                description = "GitHub or GitHub Enterprise Server URL (default https://github.com).")
        String baseUrl;

        @Option(
                names = "--issuer",
                description = "OpenID issuer URL (oidc-device); endpoints come from its discovery document.")
        String issuer;

        @Option(
                names = {"--scopes", "--scope"},
                description = "Space-separated scopes.")
        String scopes;

        @Option(names = "--device-endpoint", description = "Device authorization endpoint, instead of discovery.")
        String deviceEndpoint;

        @Option(names = "--token-endpoint", description = "Token endpoint, instead of discovery.")
        String tokenEndpoint;

        @Option(
                names = "--allow-http",
                description = "Let grants on this provider serve plain-http hosts (loopback test servers).")
        boolean allowHttp;

        @Option(
                names = "--mode",
                description = "AI CLIs: how the login runs: device, browser, paste or api-key (the driver's default).")
        String mode;

        @Option(
                names = "--mcp-input",
                description = "AI CLIs: let MCP tools relay login input (off: an agent could paste a code for another"
                        + " account).")
        boolean mcpInput;

        @Option(
                names = "--command",
                paramLabel = "PATH",
                description = "AI CLIs: the CLI to run, written into the daemon's providers.yaml (drivers: TYPE:"
                        + " command: PATH), the one place it may come from; needs the daemon's user on its machine.")
        String command;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Add(CliContext context) {
            this.context = context;
        }

        /**
         * The command goes into the daemon's providers.yaml, never to the API: only the owner of the home can write
         * there, so no API token can choose what the daemon runs. The daemon reads the file again at the next login.
         */
        private void setCommand() {
            if (!context.api().config().usesHomeSocket()) {
                throw new CliFailure(
                        ExitCodes.USAGE,
                        "--command edits the daemon's providers.yaml, so it runs as the daemon's user on its machine",
                        "there, run: authrelay provider add " + name + " --type " + type + " --command " + command);
            }
            Path home = AuthrelayHome.resolve(null, context.env()).dir();
            Path file = home.resolve(ProvidersFile.NAME);
            if (!new ProvidersFile(home).drivers().names().contains(type)) {
                throw new CliFailure(
                        ExitCodes.USAGE,
                        "--command is for AI-CLI types; '" + type + "' is not one",
                        "AI-CLI types: "
                                + String.join(
                                        ", ", new ProvidersFile(home).drivers().names()));
            }
            try {
                if (DriverCommandEdit.setCommand(file, type, Path.of(command)))
                    context.err().printf("%s: drivers.%s.command is now %s%n", file, type, command);
            } catch (DomainException e) {
                throw new CliFailure(ExitCodes.USAGE, e.getMessage(), e.hint());
            }
        }

        @Override
        public Integer call() {
            if (command != null) setCommand();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("type", type);
            body.put("host", host);
            if (username != null) body.put("username", username);
            if (clientId != null) body.put("client_id", clientId);
            if (baseUrl != null) body.put("base_url", baseUrl);
            if (issuer != null) body.put("issuer", issuer);
            if (scopes != null) body.put("scopes", scopes);
            if (deviceEndpoint != null) body.put("device_endpoint", deviceEndpoint);
            if (tokenEndpoint != null) body.put("token_endpoint", tokenEndpoint);
            if (allowHttp) body.put("allow_http", true);
            if (mode != null) body.put("mode", mode);
            if (mcpInput) body.put("mcp_input", true);
            JsonNode added = context.api().post("/v1/providers", body);
            if (json) Output.json(context.out(), added);
            else
                context.out().println("added provider " + name + " (" + type + ", " + Output.text(added, "host") + ")");
            context.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List providers.")
    static final class ListProviders implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListProviders(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode providers = context.api().get("/v1/providers");
            if (json) {
                Output.json(context.out(), providers);
            } else {
                Output.table(
                        context.out(),
                        providers.path("providers"),
                        List.of(
                                Column.field("NAME", "name"),
                                Column.field("TYPE", "type"),
                                Column.field("HOST", "host"),
                                Column.field("USERNAME", "username"),
                                new Column("HTTP", p -> p.path("allow_http").asBoolean() ? "allowed" : "-"),
                                new Column("STATE", ListProviders::state)));
            }
            return ExitCodes.OK;
        }

        /** "ok", or "degraded since T: reason" for a provider running on its last known endpoints. */
        private static String state(JsonNode provider) {
            if (!provider.path("degraded").asBoolean()) return "ok";
            return "degraded since " + Output.text(provider, "degraded_since") + ": "
                    + Output.text(provider, "degraded_reason");
        }
    }

    @Command(
            name = "remove",
            description = "Remove a provider. One with a credential or grants needs --force, which deletes them too.")
    static final class Remove implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(
                names = "--force",
                description = "Also delete its credential, its grants in every workspace and its login sessions.")
        boolean force;

        Remove(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode removed = remove();
            context.out().println(Output.text(removed, "message"));
            if (removed.path("hint").isString()) context.out().println("  hint: " + Output.text(removed, "hint"));
            context.out().flush();
            return ExitCodes.OK;
        }

        /** A provider in use is refused until --force is given: a usage error, like a missing argument. */
        private JsonNode remove() {
            try {
                return context.api().delete("/v1/providers/" + PathSegment.encode(name) + (force ? "?force=true" : ""));
            } catch (CliFailure refused) {
                if (!"provider_in_use".equals(refused.code())) throw refused;
                throw new CliFailure(ExitCodes.USAGE, refused.getMessage(), refused.hint(), refused.code());
            }
        }
    }
}
