package io.authrelay.cli;

import io.authrelay.cli.Output.Column;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Logins as a table: a pending one shows its code and the time left, an ended one when it ended and why. */
final class LoginTable {
    static final List<Column> COLUMNS = List.of(
            Column.field("LOGIN", "session"),
            Column.field("PROVIDER", "provider"),
            Column.field("STATUS", "status"),
            new Column("CODE / ENDED", LoginTable::codeOrEnd),
            Column.field("POLLS", "polls"),
            Column.field("REASON", "reason"));

    private LoginTable() {}

    private static String codeOrEnd(JsonNode login) {
        return LoginFollower.isActive(login.path("status").asString())
                ? Output.text(login, "user_code") + " (" + Output.text(login, "seconds_left") + "s left)"
                : "ended " + Output.text(login, "ended_at");
    }
}
