package io.authrelay.core.fake;

import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.Vault;
import java.util.Arrays;

/** Seals nothing: the core's logic is under test here, not the cipher. Every ciphertext is under key 1. */
public final class PlaintextVault implements Vault {
    @Override
    public byte[] seal(byte[] plaintext, SecretRef ref) {
        return Arrays.copyOf(plaintext, plaintext.length);
    }

    @Override
    public byte[] open(byte[] ciphertext, SecretRef ref) {
        return Arrays.copyOf(ciphertext, ciphertext.length);
    }

    @Override
    public long keyIdOf(byte[] ciphertext) {
        return 1;
    }
}
