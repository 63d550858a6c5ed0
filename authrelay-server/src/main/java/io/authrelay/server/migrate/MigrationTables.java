package io.authrelay.server.migrate;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every table of the schema, either copied (in foreign-key order: a table comes after the tables it references) or
 * excluded with a reason. A table a later migration adds is in neither list, and the migration refuses to run until
 * this class names it ({@code MigrationTablesTest} fails first).
 */
public final class MigrationTables {
    public static final List<String> COPIED = List.of(
            "provider",
            "credential",
            "sealed_secret",
            "admin_credential",
            "audit_event",
            "login_session",
            "login_event",
            // db-scheduler's executions: pending login polls and refresh tasks must survive the move.
            "scheduled_tasks",
            "scheduler_heartbeat",
            "workspace",
            "workspace_grant",
            "api_token");

    public static final Map<String, String> EXCLUDED = Map.of(
            "flyway_schema_history",
            "the target's own migrations write it; versions are checked to be equal",
            "cache_epoch",
            "the target's migration writes its one row; every replica's read cache starts empty",
            "replica",
            "heartbeats of running daemons, and the source's daemon is stopped",
            "console_session",
            "web-console sign-ins: a browser signs in again after the move",
            "cli_run_owner",
            "AI-CLI runs were processes of the stopped source daemon: its pending CLI logins end failed at the first"
                    + " start on the target");

    /**
     * Tables an operator created: a target holding a row in any of them already serves someone, and is replaced only
     * with {@code --force}. The rest (the vault's canary, the admin credential, the scheduler's own rows) are what any
     * daemon writes at its first start on an empty database.
     */
    public static final List<String> OPERATOR_DATA = List.of(
            "provider",
            "credential",
            "login_session",
            "login_event",
            "workspace",
            "workspace_grant",
            "api_token",
            "audit_event");

    private MigrationTables() {}

    /** Refuses a schema with a table this build would not copy, or without one it would. */
    static void requireExactly(Set<String> tables, String where) {
        Set<String> unknown = new TreeSet<>(tables);
        unknown.removeAll(COPIED);
        unknown.removeAll(EXCLUDED.keySet());
        if (!unknown.isEmpty()) {
            throw new CopyRefusal("the " + where + " has tables this build does not know how to copy: " + unknown
                    + " (a newer schema? use the authrelay version that created it)");
        }
        Set<String> missing = new TreeSet<>(COPIED);
        missing.removeAll(tables);
        if (!missing.isEmpty()) throw new CopyRefusal("the " + where + " lacks the tables " + missing);
    }
}
