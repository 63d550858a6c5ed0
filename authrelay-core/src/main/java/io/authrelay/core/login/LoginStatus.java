package io.authrelay.core.login;

import java.util.EnumSet;
import java.util.Set;

/** Where a login session stands. Every session ends in exactly one terminal status, with a reason when it did not connect. */
public enum LoginStatus {
    PENDING("pending"),
    AWAITING_USER("awaiting_user"),
    CONNECTED("connected"),
    DENIED("denied"),
    EXPIRED("expired"),
    FAILED("failed"),
    CANCELLED("cancelled");

    public static final Set<LoginStatus> ACTIVE = EnumSet.of(PENDING, AWAITING_USER);

    private final String wireName;

    LoginStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean isTerminal() {
        return !ACTIVE.contains(this);
    }

    public static LoginStatus fromWire(String value) {
        for (LoginStatus s : values()) if (s.wireName.equals(value)) return s;
        throw new IllegalArgumentException("unknown login status " + value);
    }
}
