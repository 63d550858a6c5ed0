package io.authrelay.server.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.vault.KeyManager;
import io.authrelay.core.vault.KeyRotation;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.Vault;
import io.authrelay.core.vault.VaultException;
import io.authrelay.server.StartupRefusal;
import io.authrelay.server.sql.Database;
import io.authrelay.server.sql.SqlSealedSecretRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinkVaultTest {
    @TempDir
    Path dir;

    @Test
    void aCiphertextMovedToAnotherRowOrFieldDoesNotDecrypt() {
        TinkVault vault = TinkVault.open(dir.resolve("keyset.json"), true);
        SecretRef alice = SecretRef.credentialAccess("alice");
        byte[] sealed = vault.seal("alice-secret".getBytes(StandardCharsets.UTF_8), alice);

        assertThat(new String(vault.open(sealed, alice), StandardCharsets.UTF_8))
                .isEqualTo("alice-secret");
        assertThatThrownBy(() -> vault.open(sealed, SecretRef.credentialAccess("bob")))
                .isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> vault.open(sealed, new SecretRef("credential", "alice", "refresh")))
                .isInstanceOf(VaultException.class);
    }

    @Test
    void theKeysetFileIsCreatedOwnerOnlyAndReloads() throws Exception {
        Path file = dir.resolve("keyset.json");
        TinkVault first = TinkVault.open(file, true);
        byte[] sealed = first.seal(new byte[] {1, 2, 3}, SecretRef.credentialAccess("x"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(TinkVault.open(file, false).open(sealed, SecretRef.credentialAccess("x")))
                .containsExactly(1, 2, 3);
    }

    @Test
    void oldCiphertextsStillDecryptAfterANewPrimaryKey() {
        Path file = dir.resolve("keyset.json");
        TinkVault vault = TinkVault.open(file, true);
        SecretRef ref = SecretRef.credentialAccess("x");
        byte[] before = vault.seal(new byte[] {7}, ref);
        long oldKey = vault.keyIdOf(before);

        long newKey = vault.addPrimaryKey();
        byte[] after = vault.seal(new byte[] {8}, ref);

        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(vault.keyIdOf(after)).isEqualTo(newKey);
        assertThat(vault.open(before, ref)).containsExactly(7);
        assertThat(TinkVault.open(file, false).open(before, ref)).containsExactly(7);
        assertThat(vault.keys())
                .hasSize(2)
                .filteredOn(k -> k.primary())
                .singleElement()
                .extracting(k -> k.id())
                .isEqualTo(newKey);
    }

    @Test
    void aKeysetLeftHalfWrittenByACrashIsIgnoredAndRemoved() throws Exception {
        Path file = dir.resolve("keyset.json");
        SecretRef ref = SecretRef.credentialAccess("x");
        byte[] sealed = TinkVault.open(file, true).seal(new byte[] {5}, ref);
        Path leftover = dir.resolve(".keyset.json.tmp");
        Files.writeString(leftover, "{\"primaryKeyId\": 1, \"key\": [");

        assertThat(TinkVault.open(file, false).open(sealed, ref)).containsExactly(5);
        assertThat(leftover).doesNotExist();
    }

    @Test
    void rotationPutsTheNewKeyOnDiskBeforeTheFirstRowIsResealed() {
        Path file = dir.resolve("keyset.json");
        TinkVault tink = TinkVault.open(file, true);
        Database db = Database.openSqlite(dir.resolve("authrelay.db"));
        try {
            SqlSealedSecretRepository rows = new SqlSealedSecretRepository(db, Clock.systemUTC());
            List<SecretRef> refs = List.of(SecretRef.credentialAccess("a"), SecretRef.credentialRefresh("a"));
            for (SecretRef ref : refs) {
                byte[] sealed = tink.seal(ref.field().getBytes(StandardCharsets.UTF_8), ref);
                rows.upsert(ref, tink.keyIdOf(sealed), sealed);
            }
            // each re-seal asks what a restart at that moment would load from disk
            List<Long> primaryOnDisk = new ArrayList<>();
            Vault watched = new Vault() {
                @Override
                public byte[] seal(byte[] plaintext, SecretRef ref) {
                    primaryOnDisk.add(TinkVault.open(file, false).keys().stream()
                            .filter(KeyManager.KeyInfo::primary)
                            .findFirst()
                            .orElseThrow()
                            .id());
                    return tink.seal(plaintext, ref);
                }

                @Override
                public byte[] open(byte[] ciphertext, SecretRef ref) {
                    return tink.open(ciphertext, ref);
                }

                @Override
                public long keyIdOf(byte[] ciphertext) {
                    return tink.keyIdOf(ciphertext);
                }
            };

            KeyRotation.Result result = new KeyRotation(watched, tink, rows, false, Map::of).rotate();

            assertThat(result.resealed()).isEqualTo(2);
            assertThat(primaryOnDisk).containsExactly(result.newPrimaryKeyId(), result.newPrimaryKeyId());
            TinkVault restarted = TinkVault.open(file, false);
            for (SecretRef ref : refs) {
                assertThat(restarted.open(rows.find(ref).orElseThrow(), ref))
                        .asString(StandardCharsets.UTF_8)
                        .isEqualTo(ref.field());
            }
        } finally {
            db.close();
        }
    }

    @Test
    void aMissingKeysetIsNotSilentlyReplacedWhenDataExists() {
        assertThatThrownBy(() -> TinkVault.open(dir.resolve("absent.json"), false))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("missing");
    }
}
