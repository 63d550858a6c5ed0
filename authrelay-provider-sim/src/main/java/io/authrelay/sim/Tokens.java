package io.authrelay.sim;

import java.util.ArrayList;
import java.util.List;

/** Token bookkeeping types. */
final class Tokens {
    private Tokens() {}

    /** Every token descended from one device authorization (one login). */
    static final class Family {
        final long id;
        final String login;
        final String clientId;
        final String scope;
        volatile boolean revoked;

        Family(long id, String login, String clientId, String scope) {
            this.id = id;
            this.login = login;
            this.clientId = clientId;
            this.scope = scope;
        }

        /** The granted scopes in order, without repeats; the request may separate them by spaces or commas. */
        List<String> scopes() {
            if (scope == null || scope.isBlank()) return List.of();
            List<String> out = new ArrayList<>();
            for (String s : scope.strip().split("[\\s,]+")) {
                if (!s.isEmpty() && !out.contains(s)) out.add(s);
            }
            return out;
        }

        /** Marks the family revoked; true only for the call that did it. */
        synchronized boolean revoke() {
            if (revoked) return false;
            revoked = true;
            return true;
        }
    }

    static final class Access {
        final String value;
        final Family family;
        final long expiresAtMillis; // 0 = never
        volatile boolean revoked;

        Access(String value, Family family, long expiresAtMillis) {
            this.value = value;
            this.family = family;
            this.expiresAtMillis = expiresAtMillis;
        }

        boolean valid(long now) {
            return !revoked && !family.revoked && (expiresAtMillis == 0 || now < expiresAtMillis);
        }
    }

    /** A refresh token; {@code used} is guarded by {@code this}. */
    static final class Refresh {
        final String value;
        final Family family;
        final long expiresAtMillis; // 0 = never
        boolean used;

        Refresh(String value, Family family, long expiresAtMillis) {
            this.value = value;
            this.family = family;
            this.expiresAtMillis = expiresAtMillis;
        }
    }
}
