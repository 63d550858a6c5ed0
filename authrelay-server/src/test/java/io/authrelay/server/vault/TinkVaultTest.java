package io.authrelay.server.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.vault.KeyManager;
import io.authrelay.core.vault.KeyRotation;
import io.authrelay.core.vault.SealedSecretRepository;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.VaultException;
import io.authrelay.server.StartupRefusal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        TinkVault vault = TinkVault.open(file, true);
        SecretRef a = SecretRef.credentialAccess("a");
        SecretRef b = SecretRef.credentialAccess("b");
        Map<SecretRef, byte[]> rows = new LinkedHashMap<>();
        rows.put(a, vault.seal(new byte[] {1}, a));
        rows.put(b, vault.seal(new byte[] {2}, b));
        List<Long> primaryOnDiskAtEachReseal = new ArrayList<>();
        SealedSecretRepository repository = new SealedSecretRepository() {
            @Override
            public void upsert(SecretRef ref, long keyId, byte[] ciphertext) {
                rows.put(ref, ciphertext);
            }

            @Override
            public Optional<byte[]> find(SecretRef ref) {
                return Optional.ofNullable(rows.get(ref));
            }

            @Override
            public boolean delete(SecretRef ref) {
                return rows.remove(ref) != null;
            }

            @Override
            public List<SecretRef> refsNotSealedBy(long keyId) {
                return rows.keySet().stream()
                        .filter(r -> vault.keyIdOf(rows.get(r)) != keyId)
                        .toList();
            }

            @Override
            public boolean compareAndSwap(SecretRef ref, byte[] expected, long newKeyId, byte[] replacement) {
                // what a restart right now would load
                primaryOnDiskAtEachReseal.add(TinkVault.open(file, false).keys().stream()
                        .filter(KeyManager.KeyInfo::primary)
                        .findFirst()
                        .orElseThrow()
                        .id());
                rows.put(ref, replacement);
                return true;
            }

            @Override
            public Map<Long, Long> countByKey() {
                return Map.of();
            }
        };

        KeyRotation.Result result = new KeyRotation(vault, vault, repository).rotate();

        assertThat(result.resealed()).isEqualTo(2);
        assertThat(primaryOnDiskAtEachReseal).containsExactly(result.newPrimaryKeyId(), result.newPrimaryKeyId());
        assertThat(TinkVault.open(file, false).open(rows.get(b), b)).containsExactly(2);
    }

    @Test
    void aMissingKeysetIsNotSilentlyReplacedWhenDataExists() {
        assertThatThrownBy(() -> TinkVault.open(dir.resolve("absent.json"), false))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("missing");
    }
}
