package io.authrelay.core.credential;

/** Whether a provider's credential can be handed out. */
public enum CredentialState {
    CONNECTED("connected"),
    NEEDS_REAUTH("needs_reauth"),
    /** A new login connected a different account than before: held back until a person confirms it. */
    UNCONFIRMED_ACCOUNT("unconfirmed_account");

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
