package io.authrelay.cli;

import io.authrelay.cli.Output.Column;
import io.authrelay.server.DatabaseTarget;
import io.authrelay.server.http.Json;
import io.authrelay.server.migrate.CopyRefusal;
import io.authrelay.server.migrate.SqliteToPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "migrate",
        description = "Move a stopped SQLite install into PostgreSQL: secrets stay sealed, counts and a sample are"
                + " verified. The password comes from the file $AUTHRELAY_DB_PASSWORD_FILE names.")
final class MigrateCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--from", required = true, paramLabel = "SQLITE_FILE", description = "The home's authrelay.db.")
    Path from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "JDBC_URL",
            description = "jdbc:postgresql://HOST:PORT/DB?user=USER (no password in it).")
    String to;

    @Option(
            names = "--keyset",
            paramLabel = "FILE",
            description = "The keyset of the SQLite database (default: $AUTHRELAY_KEYSET, else keyset.json beside it).")
    Path keyset;

    @Option(names = "--force", description = "Replace what the target already holds.")
    boolean force;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    MigrateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!to.startsWith(DatabaseTarget.POSTGRESQL)) {
            throw new CliFailure(
                    ExitCodes.USAGE,
                    "migrate: --to must be jdbc:postgresql://HOST:PORT/DB?user=USER",
                    "see: authrelay migrate --help");
        }
        SqliteToPostgres.Report report;
        try {
            report = SqliteToPostgres.run(new SqliteToPostgres.Request(from, to, keyset, force), context.env());
        } catch (CopyRefusal e) {
            throw new CliFailure(ExitCodes.FAILED, "migrate: " + e.getMessage(), null);
        }
        if (json) {
            Output.json(context.out(), report);
            return ExitCodes.OK;
        }
        if (!report.replaced().isEmpty()) context.out().println("replaced (--force): " + report.replaced());
        Output.table(
                context.out(),
                Json.MAPPER.valueToTree(report.tables()),
                List.of(
                        Column.field("TABLE", "table"),
                        Column.field("SOURCE", "source"),
                        Column.field("TARGET", "target")));
        context.out()
                .println("migrated " + from + " to " + report.target() + "; " + report.secretsChecked()
                        + " sealed secrets read back and decrypted with the keyset");
        context.out().println("next: start the daemon with --db (or AUTHRELAY_DB_URL) and the same keyset");
        context.out().flush();
        return ExitCodes.OK;
    }
}
