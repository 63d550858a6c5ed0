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
import java.util.List;
import java.util.Map;

/**
 * Opens the vault against the database it belongs to. A canary secret sealed at first start proves,
 * at every later start and on /readyz, that this keyset can still decrypt this database's data.
 */
public final class VaultBootstrap {
    private static final SecretRef CANARY = new SecretRef("vault", "canary", "check");
    private static final String CANARY_VALUE = "authrelay-vault-canary";

    private VaultBootstrap() {}

    /** @param shared the database is shared with other replicas (see {@link KeyRotation}) */
    public static TinkVault open(DaemonHome home, SealedSecretRepository sealed, boolean shared) {
        boolean databaseHasSecrets = !sealed.countByKey().isEmpty();
        Path keysetFile = home.keysetFile();
        TinkVault vault = TinkVault.open(keysetFile, !databaseHasSecrets);
        SecretStore store = new SecretStore(vault, sealed);
        KeyRotation rotation = new KeyRotation(vault, vault, sealed, shared, Map::of);
        List<Long> missing = rotation.keysNotHeld();
        // Some keys held, some not: another replica added and used a key this copy lacks. None held: a wrong keyset,
        // or one that missed a whole rotation; the canary check below names both.
        if (!missing.isEmpty() && missing.size() < sealed.countByKey().size()) {
            throw new StartupRefusal(
                    "keyset " + keysetFile + " is behind: this database has secrets sealed under key(s) " + missing
                            + ", which it does not hold; give this replica the keyset the others run with");
        }
        if (!canDecrypt(store)) {
            throw new StartupRefusal(
                    "keyset " + keysetFile + " cannot decrypt this database's secrets (wrong key, or behind the other"
                            + " replicas' keyset):"
                            + " point AUTHRELAY_KEYSET or the home at the keyset that belongs to " + home.database());
        }
        if (sealed.find(CANARY).isEmpty()) store.put(CANARY, new Secret(CANARY_VALUE));
        rotation.finishInterruptedRotation();
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
