package io.authrelay.core.vault;

/** Authenticated encryption bound to a {@link SecretRef}. Implemented by the Tink adapter. */
public interface Vault {
    byte[] seal(byte[] plaintext, SecretRef ref);

    /** @throws VaultException when the ciphertext was tampered with, moved, or sealed under an unknown key */
    byte[] open(byte[] ciphertext, SecretRef ref);

    /** The key id a ciphertext was sealed with, read from its key prefix. */
    long keyIdOf(byte[] ciphertext);
}
