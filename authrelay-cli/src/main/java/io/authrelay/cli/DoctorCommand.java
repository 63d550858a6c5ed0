package io.authrelay.cli;

import io.authrelay.client.DaemonClient;
import io.authrelay.client.DaemonTarget;
import io.authrelay.client.DaemonUnreachableException;
import io.authrelay.server.home.DaemonHome;
import io.authrelay.server.home.PrivateFiles;
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

@Command(
        name = "doctor",
        description = "Check the JDK, the home, the daemon, its database and vault, and say what to fix.")
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
        checks.addAll(homeChecks(DaemonTarget.homeOf(context.env())));
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

    private static List<Check> homeChecks(Path home) {
        List<Check> checks = new ArrayList<>();
        if (!Files.isDirectory(home)) {
            checks.add(
                    new Check("home", false, home + " does not exist", "start the daemon once: bin/authrelay server"));
            return checks;
        }
        try {
            String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(home));
            checks.add(new Check("home", perms.equals("rwx------"), home + " " + perms, "chmod 700 " + home));
            for (String name : List.of(DaemonHome.DATABASE, DaemonHome.KEYSET, DaemonHome.ADMIN_TOKEN)) {
                Path file = home.resolve(name);
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
                    "home", false, "cannot inspect " + home + ": " + e.getMessage(), "check ownership of " + home));
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
        try {
            DaemonClient.Response ready = api.raw("GET", "/readyz");
            checks.add(new Check("daemon", true, "reachable at " + api.target().baseUrl(), null));
            checks.add(new Check(
                    "database+vault",
                    ready.status() == 200,
                    ready.body(),
                    "see the daemon log; a vault failure means the keyset does not match the database"));
            DaemonClient.Response status = api.raw("GET", "/v1/status");
            checks.add(new Check(
                    "auth",
                    status.status() == 200,
                    "HTTP " + status.status() + " with "
                            + (api.target().token() == null ? "no token" : "the configured token"),
                    "set AUTHRELAY_TOKEN, or AUTHRELAY_HOME to the daemon's home so admin.token can be read"));
            if (status.status() == 200) {
                double heartbeat = io.authrelay.server.http.Json.MAPPER
                        .readTree(status.body())
                        .path("scheduler_heartbeat_age_seconds")
                        .asDouble(-1);
                checks.add(new Check(
                        "scheduler",
                        heartbeat >= 0 && heartbeat <= 30,
                        heartbeat < 0 ? "no heartbeat yet" : String.format("heartbeat %.1fs ago", heartbeat),
                        "pending logins are not polled: restart the daemon and check its log"));
            }
        } catch (DaemonUnreachableException e) {
            checks.add(new Check(
                    "daemon", false, e.getMessage(), "start it: bin/authrelay server (or set AUTHRELAY_URL)"));
        }
        return checks;
    }
}
