package io.authrelay.core.vault;

import java.util.List;

/** The keyset behind the {@link Vault}: which keys exist and adding a new primary. */
public interface KeyManager {
    record KeyInfo(long id, boolean primary, String status) {}

    List<KeyInfo> keys();

    /**
     * Adds a new key, makes it primary, and returns only once the keyset holding it is durable (on disk, not just
     * written), before the vault seals anything with it. @return the new key id
     */
    long addPrimaryKey();
}
