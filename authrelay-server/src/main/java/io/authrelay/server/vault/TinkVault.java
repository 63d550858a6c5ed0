package io.authrelay.server.vault;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.authrelay.core.vault.KeyManager;
import io.authrelay.core.vault.KeysetBehindException;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.Vault;
import io.authrelay.core.vault.VaultException;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.home.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The vault on a Tink AES-256-GCM keyset kept in a 0600 JSON file. Every ciphertext carries Tink's
 * 5-byte prefix (version byte + key id), so old keys keep decrypting after rotation.
 */
public final class TinkVault implements Vault, KeyManager {
    private static final int TINK_PREFIX_LENGTH = 5;

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path keysetFile;
    private volatile KeysetHandle keyset;
    private volatile Aead aead;

    private TinkVault(Path keysetFile, KeysetHandle keyset) throws GeneralSecurityException {
        this.keysetFile = keysetFile;
        use(keyset);
    }

    /** Loads the keyset, or creates one when {@code mayCreate} (only when the database holds no secrets yet). */
    public static TinkVault open(Path keysetFile, boolean mayCreate) {
        try {
            // A temp file left by a write that crashed was never renamed, so no row was sealed with a key only it
            // holds.
            PrivateFiles.discardInterruptedWrite(keysetFile);
            if (Files.exists(keysetFile)) {
                PrivateFiles.requireOwnerOnly(keysetFile, "keyset");
                String json = Files.readString(keysetFile, StandardCharsets.UTF_8);
                return new TinkVault(
                        keysetFile, TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
            }
            if (!mayCreate) {
                throw new StartupRefusal(
                        "keyset " + keysetFile + " is missing but the database holds encrypted secrets:"
                                + " restore the keyset file (or AUTHRELAY_KEYSET) that belongs to this database");
            }
            TinkVault vault = new TinkVault(keysetFile, KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
            vault.persist();
            return vault;
        } catch (GeneralSecurityException e) {
            throw new StartupRefusal("keyset " + keysetFile + " is not a valid Tink AEAD keyset", e);
        } catch (IOException e) {
            throw new StartupRefusal("cannot read or write keyset " + keysetFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] seal(byte[] plaintext, SecretRef ref) {
        try {
            return aead.encrypt(plaintext, ref.associatedData());
        } catch (GeneralSecurityException e) {
            throw new VaultException("encryption failed for " + ref.ownerKind() + "/" + ref.field(), e);
        }
    }

    @Override
    public byte[] open(byte[] ciphertext, SecretRef ref) {
        long keyId = keyIdOf(ciphertext);
        if (keys().stream().noneMatch(k -> k.id() == keyId)) throw new KeysetBehindException(ref, keyId);
        try {
            return aead.decrypt(ciphertext, ref.associatedData());
        } catch (GeneralSecurityException e) {
            throw new VaultException(
                    "cannot decrypt " + ref.ownerKind() + "/" + ref.field()
                            + ": wrong keyset, unknown key, or the ciphertext does not belong to this row",
                    e);
        }
    }

    @Override
    public long keyIdOf(byte[] ciphertext) {
        if (ciphertext.length < TINK_PREFIX_LENGTH) throw new VaultException("ciphertext too short", null);
        return Integer.toUnsignedLong(ByteBuffer.wrap(ciphertext, 1, 4).getInt());
    }

    @Override
    public List<KeyInfo> keys() {
        KeysetHandle handle = keyset;
        List<KeyInfo> keys = new ArrayList<>();
        for (int i = 0; i < handle.size(); i++) {
            KeysetHandle.Entry entry = handle.getAt(i);
            keys.add(new KeyInfo(
                    Integer.toUnsignedLong(entry.getId()),
                    entry.isPrimary(),
                    entry.getStatus().toString().toLowerCase()));
        }
        return keys;
    }

    @Override
    public synchronized long addPrimaryKey() {
        try {
            KeysetHandle rotated = KeysetHandle.newBuilder(keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId()
                            .makePrimary())
                    .build();
            // Durable before use: writeAtomically returns after the fsyncs, and only then can seal() pick the new key,
            // so a row re-encrypted under it (KeyRotation) never outlives, after a crash or power loss, the keyset
            // that holds it.
            write(rotated);
            use(rotated);
            return Integer.toUnsignedLong(rotated.getPrimary().getId());
        } catch (GeneralSecurityException e) {
            throw new VaultException("key rotation failed", e);
        } catch (IOException e) {
            throw new VaultException("cannot write keyset " + keysetFile + ": " + e.getMessage(), e);
        }
    }

    private void persist() throws GeneralSecurityException, IOException {
        write(keyset);
    }

    private void write(KeysetHandle handle) throws GeneralSecurityException, IOException {
        String json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
        PrivateFiles.writeAtomically(keysetFile, json.getBytes(StandardCharsets.UTF_8));
    }

    private void use(KeysetHandle handle) throws GeneralSecurityException {
        this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        this.keyset = handle;
    }
}
