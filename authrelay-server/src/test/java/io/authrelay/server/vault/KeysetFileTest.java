package io.authrelay.server.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.DomainException;
import io.authrelay.core.vault.KeyManager;
import io.authrelay.core.vault.SecretRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline keyset edits of a two-phase rotation: add (enabled, not primary), then promote. */
class KeysetFileTest {
    @TempDir
    Path dir;

    @Test
    void addKeepsThePrimaryAndPromoteSwitchesItOldCiphertextsStayReadable() throws Exception {
        Path file = dir.resolve("keyset.json");
        TinkVault original = TinkVault.open(file, true);
        long oldPrimary = primary(original.keys());
        SecretRef ref = SecretRef.credentialAccess("forge");
        byte[] underOld = original.seal(new byte[] {1, 2, 3}, ref);

        long added = new KeysetFile(file).add();
        TinkVault phaseOne = TinkVault.open(file, false);
        assertThat(phaseOne.keys())
                .hasSize(2)
                .anyMatch(k -> k.id() == added && !k.primary() && k.status().equals("enabled"));
        assertThat(primary(phaseOne.keys())).isEqualTo(oldPrimary);
        assertThat(phaseOne.keyIdOf(phaseOne.seal(new byte[] {9}, ref))).isEqualTo(oldPrimary);

        new KeysetFile(file).promote(added);
        TinkVault phaseTwo = TinkVault.open(file, false);
        assertThat(primary(phaseTwo.keys())).isEqualTo(added);
        byte[] underNew = phaseTwo.seal(new byte[] {4}, ref);
        assertThat(phaseTwo.keyIdOf(underNew)).isEqualTo(added);
        assertThat(phaseTwo.open(underOld, ref)).containsExactly(1, 2, 3);
        // Phase 1's keyset reads what the promoted one sealed: that is what phase 1 is for.
        assertThat(phaseOne.open(underNew, ref)).containsExactly(4);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void aKeysetWithoutTheKeyFailsThatRowClearly() {
        Path file = dir.resolve("keyset.json");
        TinkVault stale = TinkVault.open(file, true);
        Path copy = dir.resolve("promoted.json");
        try {
            Files.copy(file, copy);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long added = new KeysetFile(copy).add();
        new KeysetFile(copy).promote(added);
        SecretRef ref = SecretRef.credentialAccess("wiki");
        byte[] sealed = TinkVault.open(copy, false).seal(new byte[] {7}, ref);
        assertThatThrownBy(() -> stale.open(sealed, ref))
                .isInstanceOf(io.authrelay.core.vault.KeysetBehindException.class)
                .hasMessageContaining("sealed under key " + added)
                .hasMessageContaining("keyset is behind");
    }

    @Test
    void refusesUnknownIdsMissingFilesAndFilesOthersCanRead() throws Exception {
        Path file = dir.resolve("keyset.json");
        TinkVault.open(file, true);
        String before = Files.readString(file);
        assertThatThrownBy(() -> new KeysetFile(file).promote(12345L))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("holds no key 12345")
                .extracting(e -> ((DomainException) e).kind())
                .isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThatThrownBy(() -> new KeysetFile(dir.resolve("absent.json")).add())
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("does not exist");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> new KeysetFile(file).add())
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("chmod 600");
        Files.writeString(file, "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> new KeysetFile(file).add())
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("not a valid Tink AEAD keyset");
    }

    private static long primary(List<KeyManager.KeyInfo> keys) {
        return keys.stream()
                .filter(KeyManager.KeyInfo::primary)
                .findFirst()
                .orElseThrow()
                .id();
    }
}
