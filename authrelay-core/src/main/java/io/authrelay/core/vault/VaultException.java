package io.authrelay.core.vault;

/** A ciphertext could not be opened. Deliberately carries no ciphertext or plaintext. */
public class VaultException extends RuntimeException {
    public VaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
