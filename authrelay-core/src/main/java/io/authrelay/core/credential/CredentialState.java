package io.authrelay.core.credential;

/** Whether a provider's credential can be handed out. */
public enum CredentialState {
    CONNECTED("connected"),
    NEEDS_REAUTH("needs_reauth");

    private final String wireName;

    CredentialState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static CredentialState fromWire(String value) {
        for (CredentialState s : values()) if (s.wireName.equals(value)) return s;
        throw new IllegalArgumentException("unknown credential state " + value);
    }
}
