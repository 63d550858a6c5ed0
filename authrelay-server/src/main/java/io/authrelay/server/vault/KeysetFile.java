package io.authrelay.server.vault;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.authrelay.core.DomainException;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.home.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * Offline edits of a keyset file, for the two phases of a rotation across replicas: the operator edits a copy, then
 * gives it to every replica. {@link #add} adds an enabled key that is not primary (every replica can then read what
 * it seals, before any seals with it); {@link #promote} makes it primary. Each edit is an atomic, owner-only write; no
 * key material is ever printed or returned, only key ids.
 */
public final class KeysetFile {
    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path file;

    public KeysetFile(Path file) {
        this.file = file;
    }

    /** Adds a new enabled, non-primary AES-256-GCM key. @return its id */
    public long add() {
        KeysetHandle handle = read();
        try {
            KeysetHandle added = KeysetHandle.newBuilder(handle)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId())
                    .build();
            write(added);
            return idsOf(added).stream()
                    .filter(id -> !idsOf(handle).contains(id))
                    .findFirst()
                    .orElseThrow();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot add a key to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes key {@code keyId} the primary.
     *
     * @throws DomainException (not found) for an id the keyset does not hold; (invalid) for a key that is not enabled
     */
    public void promote(long keyId) {
        KeysetHandle handle = read();
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
        for (int i = 0; i < handle.size(); i++) {
            KeysetHandle.Entry entry = handle.getAt(i);
            if (Integer.toUnsignedLong(entry.getId()) != keyId) continue;
            if (entry.getStatus() != KeyStatus.ENABLED) {
                throw DomainException.invalid(
                        "key_not_enabled", "key " + keyId + " in " + file + " is " + entry.getStatus(), null);
            }
            builder.getAt(i).makePrimary();
            try {
                write(builder.build());
                return;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot promote key " + keyId + ": " + e.getMessage(), e);
            }
        }
        throw DomainException.notFound(
                "unknown_key", "keyset " + file + " holds no key " + keyId, "see its ids with: authrelay keys status");
    }

    private static java.util.Set<Long> idsOf(KeysetHandle handle) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (int i = 0; i < handle.size(); i++)
            ids.add(Integer.toUnsignedLong(handle.getAt(i).getId()));
        return ids;
    }

    private KeysetHandle read() {
        if (!Files.exists(file))
            throw DomainException.notFound("no_keyset", "keyset " + file + " does not exist", null);
        try {
            PrivateFiles.requireOwnerOnly(file, "keyset");
            return TinkJsonProtoKeysetFormat.parseKeyset(
                    Files.readString(file, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get());
        } catch (IOException e) {
            throw DomainException.invalid(
                    "unreadable_keyset", "cannot read keyset " + file + ": " + e.getMessage(), null);
        } catch (GeneralSecurityException e) {
            throw DomainException.invalid("invalid_keyset", file + " is not a valid Tink AEAD keyset", null);
        } catch (StartupRefusal e) {
            throw DomainException.invalid("keyset_permissions", e.getMessage(), null);
        }
    }

    private void write(KeysetHandle handle) throws GeneralSecurityException {
        String json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
        try {
            PrivateFiles.writeAtomically(file, json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw DomainException.invalid(
                    "unwritable_keyset", "cannot write keyset " + file + ": " + e.getMessage(), null);
        }
    }
}
