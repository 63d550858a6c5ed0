package io.authrelay.cli;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** Logins as a table: a pending one shows its code and the time left, an ended one when it ended and why. */
final class LoginTable {
    static final List<String> HEADERS = List.of("LOGIN", "PROVIDER", "STATUS", "CODE / ENDED", "POLLS", "REASON");

    private LoginTable() {}

    static List<List<String>> rows(JsonNode logins) {
        return logins.valueStream()
                .map(l -> List.of(
                        Output.text(l, "session"),
                        Output.text(l, "provider"),
                        Output.text(l, "status"),
                        LoginFollower.isActive(l.path("status").asString())
                                ? Output.text(l, "user_code") + " (" + Output.text(l, "seconds_left") + "s left)"
                                : "ended " + Output.text(l, "ended_at"),
                        Output.text(l, "polls"),
                        Output.text(l, "reason")))
                .toList();
    }
}
