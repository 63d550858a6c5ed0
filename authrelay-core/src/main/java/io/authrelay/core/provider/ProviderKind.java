package io.authrelay.core.provider;

import io.authrelay.core.DomainException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How a provider obtains its credential: stored by an admin, by an OAuth device-flow login, or by an AI CLI's login. */
public enum ProviderKind {
    STATIC("static"),
    GITHUB("github"),
    OIDC_DEVICE("oidc-device"),
    /** Signed in by running an AI CLI's own login (see {@link CliSettings}); the user names its driver as the type. */
    CLI_LOGIN("cli-login");

    private final String wireName;

    ProviderKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean usesDeviceFlow() {
        return this == GITHUB || this == OIDC_DEVICE;
    }

    /** Whether a credential of this kind comes from a login (device flow or a CLI) rather than an admin. */
    public boolean hasLogin() {
        return this != STATIC;
    }

    public static ProviderKind fromWire(String value) {
        for (ProviderKind kind : values()) {
            if (kind.wireName.equals(value)) return kind;
        }
        throw DomainException.invalid(
                "unknown_provider_type",
                "unknown provider type '" + value + "'",
                "supported types: "
                        + Arrays.stream(values()).map(ProviderKind::wireName).collect(Collectors.joining(", ")));
    }
}
