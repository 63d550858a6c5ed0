package io.authrelay.cli;

import io.authrelay.client.AuthrelayHome;
import io.authrelay.client.BrokerClient;
import io.authrelay.client.BrokerConfig;
import io.authrelay.client.BrokerConfigException;
import io.authrelay.client.BrokerUnreachableException;
import io.authrelay.client.ErrorMessages;
import io.authrelay.client.RetryClassifier;
import io.authrelay.server.home.DaemonHome;
import io.authrelay.server.home.PrivateFiles;
import io.authrelay.server.home.ProvidersFile;
import io.authrelay.server.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

@Command(
        name = "doctor",
        description = "Check the JDK, the home, the daemon, its database, vault and port, and say what to fix.")
final class DoctorCommand implements Callable<Integer> {
    record Check(String name, boolean ok, String detail, String fix) {}

    private final CliContext context;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    DoctorCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<Check> checks = new ArrayList<>();
        int jdk = Runtime.version().feature();
        checks.add(new Check(
                "jdk", jdk >= 21, "Java " + Runtime.version(), "install a JDK 21 or newer and set JAVA_HOME"));
        checks.addAll(homeChecks(AuthrelayHome.resolve(null, context.env())));
        checks.addAll(daemonChecks());
        boolean healthy = checks.stream().allMatch(Check::ok);
        if (json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("healthy", healthy);
            report.put("checks", checks);
            Output.json(context.out(), report);
        } else {
            for (Check c : checks) {
                context.out().printf("%s %-14s %s%n", c.ok() ? "ok  " : "FAIL", c.name(), c.detail());
                if (!c.ok() && c.fix() != null) context.out().printf("     %-14s fix: %s%n", "", c.fix());
            }
            context.out().println(healthy ? "\nall checks passed" : "\nsome checks failed");
            context.out().flush();
        }
        return healthy ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static List<Check> homeChecks(AuthrelayHome home) {
        List<Check> checks = new ArrayList<>();
        Path dir = home.dir();
        if (!Files.isDirectory(dir)) {
            checks.add(new Check("home", false, dir + " does not exist", "start the daemon once: authrelay server"));
            return checks;
        }
        String untrusted = home.untrustedReason();
        checks.add(new Check(
                "home", untrusted == null, untrusted == null ? dir + " is private" : untrusted, "chmod 700 " + dir));
        try {
            for (String name :
                    List.of(DaemonHome.DATABASE, DaemonHome.KEYSET, DaemonHome.ADMIN_TOKEN, ProvidersFile.NAME)) {
                Path file = dir.resolve(name);
                if (!Files.exists(file)) continue;
                boolean ownerOnly = PrivateFiles.isOwnerOnly(file);
                checks.add(new Check(
                        name,
                        ownerOnly,
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                        "chmod 600 " + file));
            }
        } catch (IOException e) {
            checks.add(new Check(
                    "home", false, "cannot inspect " + dir + ": " + e.getMessage(), "check ownership of " + dir));
        }
        return checks;
    }

    private List<Check> daemonChecks() {
        List<Check> checks = new ArrayList<>();
        Api api;
        try {
            api = context.api();
        } catch (CliFailure e) {
            checks.add(new Check("daemon", false, e.getMessage(), "fix AUTHRELAY_URL"));
            return checks;
        }
        String where = api.config().endpoint().describe();
        String instance;
        try {
            BrokerClient.Response ready = api.raw("GET", "/readyz");
            checks.add(new Check("daemon", true, "reachable: " + where, null));
            checks.add(new Check(
                    "database+vault",
                    ready.status() == 200,
                    ready.body(),
                    "see the daemon log; a vault failure means the keyset does not match the database, a keyset failure"
                            + " that another replica's keyset holds a key this one lacks (docs/deploy.md)"));
            instance = field(api.raw("GET", "/v1/version").body(), "instance");
            BrokerClient.Response status = api.raw("GET", "/v1/status");
            checks.add(new Check(
                    "auth",
                    status.status() == 200,
                    "HTTP " + status.status() + " with " + (api.config().hasToken() ? "the admin token" : "no token"),
                    "run as the daemon's user, or set AUTHRELAY_TOKEN"));
            if (status.status() == 200) {
                JsonNode facts = Json.MAPPER.readTree(status.body());
                double heartbeat = facts.path("scheduler_heartbeat_age_seconds").asDouble(-1);
                checks.add(new Check(
                        "scheduler",
                        heartbeat >= 0 && heartbeat <= 30,
                        heartbeat < 0 ? "no heartbeat yet" : String.format("heartbeat %.1fs ago", heartbeat),
                        "pending logins are not polled: restart the daemon and check its log"));
                checks.add(replicasCheck(facts));
                JsonNode network = facts.path("providers_network");
                checks.add(new Check(
                        "provider network",
                        true, // what the daemon read at start, shown so a wrong proxy is easy to spot
                        "proxy https " + network.path("proxy").path("https").asString("?") + ", http "
                                + network.path("proxy").path("http").asString("?") + ", no_proxy '"
                                + network.path("proxy").path("no_proxy").asString("") + "'; extra CA bundle "
                                + network.path("ca_file").asString("?"),
                        null));
                String sandbox = facts.path("cli_sandbox").asString("unknown");
                checks.add(new Check(
                        "cli sandbox",
                        sandbox.startsWith("bwrap") || sandbox.startsWith("off"), // off: the owner chose it
                        "AI-CLI logins: " + sandbox,
                        "install bubblewrap (apt-get install bubblewrap) and restart the daemon; or accept running the"
                                + " vendor CLIs unsandboxed with: authrelay server --sandbox none"));
            }
        } catch (BrokerUnreachableException e) {
            checks.add(new Check(
                    "daemon", false, ErrorMessages.withoutPrefix(e.getMessage()), "start it: authrelay server"));
            return checks;
        }
        if (api.config().usesHomeSocket()) checks.add(portCheck(instance));
        return checks;
    }

    /**
     * The replicas on this daemon's database, from their heartbeats; on PostgreSQL, also whether other replicas'
     * writes reach this one's caches by notification.
     */
    private static Check replicasCheck(JsonNode facts) {
        List<String> live = new ArrayList<>();
        for (JsonNode replica : facts.path("replicas")) {
            String address = replica.path("address").asString("");
            live.add(replica.path("id").asString()
                    + (address.isEmpty() ? "" : " (" + address + ")")
                    + (replica.path("self").asBoolean() ? " this one" : ""));
        }
        String notifications = facts.path("cache_notifications").asString("not_needed");
        boolean ok = !notifications.equals("lost");
        String detail = live.size() + " live: " + String.join(", ", live)
                + (notifications.equals("not_needed") ? "" : "; cache notifications " + notifications);
        return new Check(
                "replicas",
                ok,
                detail,
                "the LISTEN connection to PostgreSQL is down: other replicas' changes reach this one within 1 s"
                        + " instead of at once; check the database and the daemon log");
    }

    /** Whether the daemon behind the home's socket is also the one answering on the TCP port workspaces use. */
    private Check portCheck(String instance) {
        BrokerConfig tcp;
        try {
            tcp = BrokerConfig.anonymous(context.env()).withTimeoutMillis(3_000);
        } catch (BrokerConfigException e) {
            return new Check("port", false, e.getMessage(), "fix AUTHRELAY_URL");
        }
        String url = tcp.endpoint().describe();
        try {
            BrokerClient.Response version =
                    new BrokerClient(tcp, RetryClassifier.singleAttempt(), null, null).send("GET", "/v1/version", null);
            String answered = field(version.body(), "instance");
            if (instance != null && instance.equals(answered)) {
                return new Check("port", true, url + " is this daemon", null);
            }
            String what = answered == null
                    ? "something that is not authrelay (HTTP " + version.status() + ")"
                    : "another authrelay daemon";
            return new Check(
                    "port",
                    false,
                    url + " is answered by " + what + ", not by the daemon of this home",
                    "stop whatever listens there (ss -ltnp), or point AUTHRELAY_URL and --listen at another port");
        } catch (BrokerUnreachableException e) {
            return new Check(
                    "port",
                    false,
                    "nothing answers at " + url + ", so workspaces cannot reach the daemon",
                    "check the daemon's --listen address and AUTHRELAY_URL");
        }
    }

    private static String field(String json, String name) {
        try {
            JsonNode node = Json.MAPPER.readTree(json).path(name);
            return node.isString() ? node.asString() : null;
        } catch (JacksonException e) {
            return null;
        }
    }
}
