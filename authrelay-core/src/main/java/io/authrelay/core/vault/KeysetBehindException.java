package io.authrelay.core.vault;

/**
 * A ciphertext was sealed under a key this daemon's keyset does not hold: another replica has a newer keyset. Nothing
 * is lost (the row is intact); this daemon needs the keyset with that key.
 */
public final class KeysetBehindException extends VaultException {
    public KeysetBehindException(SecretRef ref, long keyId) {
        super(
                "cannot decrypt " + ref.ownerKind() + "/" + ref.field() + ": it is sealed under key " + keyId
                        + ", which this daemon's keyset does not hold (the keyset is behind: give this replica the"
                        + " keyset that has it, then restart it)",
                null);
    }
}
