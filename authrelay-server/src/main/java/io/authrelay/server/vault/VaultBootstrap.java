package io.authrelay.server.vault;

import io.authrelay.core.vault.KeyRotation;
import io.authrelay.core.vault.SealedSecretRepository;
import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.SecretStore;
import io.authrelay.core.vault.VaultException;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.home.DaemonHome;
import java.nio.file.Path;

/**
 * Opens the vault against the database it belongs to. A canary secret sealed at first start proves,
 * at every later start and on /readyz, that this keyset can still decrypt this database's data.
 */
public final class VaultBootstrap {
    private static final SecretRef CANARY = new SecretRef("vault", "canary", "check");
    private static final String CANARY_VALUE = "authrelay-vault-canary";

    private VaultBootstrap() {}

    public static TinkVault open(DaemonHome home, SealedSecretRepository sealed) {
        boolean databaseHasSecrets = !sealed.countByKey().isEmpty();
        Path keysetFile = home.keysetFile();
        TinkVault vault = TinkVault.open(keysetFile, !databaseHasSecrets);
        SecretStore store = new SecretStore(vault, sealed);
        if (!canDecrypt(store)) {
            throw new StartupRefusal("keyset " + keysetFile + " cannot decrypt this database's secrets (wrong key):"
                    + " point AUTHRELAY_KEYSET or the home at the keyset that belongs to " + home.database());
        }
        if (sealed.find(CANARY).isEmpty()) store.put(CANARY, new Secret(CANARY_VALUE));
        // Finishes a rotation that was interrupted; a no-op when every secret is under the primary key.
        new KeyRotation(vault, vault, sealed)
                .resealAllWith(vault.keys().stream()
                        .filter(k -> k.primary())
                        .findFirst()
                        .orElseThrow()
                        .id());
        return vault;
    }

    /** True when there is no canary yet or it decrypts to the expected value. */
    public static boolean canDecrypt(SecretStore store) {
        try {
            return store.get(CANARY).map(s -> s.value().equals(CANARY_VALUE)).orElse(true);
        } catch (VaultException e) {
            return false;
        }
    }
}
