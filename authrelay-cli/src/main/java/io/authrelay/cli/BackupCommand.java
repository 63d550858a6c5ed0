package io.authrelay.cli;

import io.authrelay.server.DatabaseTarget;
import io.authrelay.server.backup.SqliteBackup;
import io.authrelay.server.home.DaemonHome;
import io.authrelay.server.migrate.CopyRefusal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "backup",
        description = "Copy the home's SQLite database into FILE (0600), consistently, while the daemon runs. Keep"
                + " the keyset too: the backup is useless without it. On PostgreSQL use pg_dump (docs/deploy.md).")
final class BackupCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "FILE", description = "The new backup file; it must not exist, or be empty.")
    Path file;

    @Option(names = "--home", description = "Home directory (default: $AUTHRELAY_HOME, else ~/.authrelay).")
    Path home;

    @Option(
            names = "--db",
            paramLabel = "JDBC_URL",
            description = "The daemon's database, if not the home's (default: $AUTHRELAY_DB_URL, else the home's).")
    String databaseUrl;

    @Option(names = "--force", description = "Replace an existing, non-empty FILE.")
    boolean force;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    BackupCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        DaemonHome daemonHome = DaemonHome.resolve(home, context.env());
        Path database = sqliteDatabase(daemonHome);
        long bytes;
        try {
            bytes = SqliteBackup.copy(database, file, force);
        } catch (CopyRefusal e) {
            throw new CliFailure(ExitCodes.FAILED, "backup: " + e.getMessage(), null);
        }
        Path backup = file.toAbsolutePath().normalize();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("backup", backup.toString());
        answer.put("bytes", bytes);
        answer.put("database", database.toString());
        answer.put("keyset", daemonHome.keysetFile().toString());
        Output.result(
                context,
                json,
                answer,
                "backed up " + database + " to " + backup + " (" + bytes + " bytes, mode 0600)\n"
                        + "keep the keyset too: " + daemonHome.keysetFile() + "\n"
                        + "the backup is useless without that keyset (its secrets are sealed with it), and the keyset"
                        + " alone holds no credentials: store them apart, both safely");
        return ExitCodes.OK;
    }

    /** The SQLite file the home's daemon uses; PostgreSQL has its own tool. */
    private Path sqliteDatabase(DaemonHome daemonHome) {
        String url = databaseUrl != null ? databaseUrl : context.env().get(DatabaseTarget.URL_ENV);
        if (url != null && url.startsWith(DatabaseTarget.POSTGRESQL)) {
            throw new CliFailure(
                    ExitCodes.USAGE,
                    "backup copies SQLite only; this daemon's database is PostgreSQL",
                    "use pg_dump, and keep the keyset with it: see docs/deploy.md, Backups");
        }
        if (url == null || url.isBlank()) return daemonHome.database();
        if (url.startsWith(DatabaseTarget.SQLITE)) return Path.of(url.substring(DatabaseTarget.SQLITE.length()));
        throw new CliFailure(ExitCodes.USAGE, "--db must be jdbc:sqlite:PATH", null);
    }
}
