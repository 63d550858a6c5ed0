package io.authrelay.core.removal;

import java.util.ArrayList;
import java.util.List;

/**
 * What hangs on a provider and goes with it: its credential, the grants workspaces hold on it ({@code grantHolders}
 * names the workspace of each grant), and its login sessions.
 */
public record ProviderUsage(boolean credential, List<String> grantHolders, int loginSessions) {
    public ProviderUsage {
        grantHolders = List.copyOf(grantHolders);
    }

    /** A credential or a grant is something an admin or a workspace relies on: removing it takes force. */
    public boolean needsForce() {
        return credential || !grantHolders.isEmpty();
    }

    public List<String> workspaces() {
        return grantHolders.stream().distinct().sorted().toList();
    }

    /** For example "the credential, 3 grants in workspaces a, b and 2 login sessions"; empty when nothing hangs on it. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (credential) parts.add("the credential");
        if (!grantHolders.isEmpty()) {
            List<String> workspaces = workspaces();
            parts.add(count(grantHolders.size(), "grant") + " in "
                    + (workspaces.size() == 1 ? "workspace " : "workspaces ") + String.join(", ", workspaces));
        }
        if (loginSessions > 0) parts.add(count(loginSessions, "login session"));
        if (parts.size() < 2) return String.join("", parts);
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.getLast();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
