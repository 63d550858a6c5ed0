package io.authrelay.cli;

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

        @Option(names = "--type", required = true, description = "static, github or oidc-device.")
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

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Add(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
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
                List<List<String>> rows = providers
                        .path("providers")
                        .valueStream()
                        .map(p -> List.of(
                                Output.text(p, "name"),
                                Output.text(p, "type"),
                                Output.text(p, "host"),
                                Output.text(p, "username")))
                        .toList();
                Output.table(context.out(), List.of("NAME", "TYPE", "HOST", "USERNAME"), rows);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", description = "Remove a provider and destroy its credential.")
    static final class Remove implements Callable<Integer> {
        private final CliContext context;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        Remove(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.api().delete("/v1/providers/" + PathSegment.encode(name));
            context.out().println("removed provider " + name);
            context.out().flush();
            return ExitCodes.OK;
        }
    }
}
