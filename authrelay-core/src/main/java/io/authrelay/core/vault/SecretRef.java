package io.authrelay.core.vault;

import java.nio.charset.StandardCharsets;

/**
 * Names the row and purpose a secret belongs to. It is the AEAD associated data, so a ciphertext
 * copied into another row or field fails to decrypt instead of silently becoming someone else's secret.
 */
public record SecretRef(String ownerKind, String ownerId, String field) {
    public byte[] associatedData() {
        return ("authrelay/v1|" + ownerKind + "|" + ownerId + "|" + field).getBytes(StandardCharsets.UTF_8);
    }

    public static SecretRef credentialAccess(String provider) {
        return new SecretRef("credential", provider, "access");
    }

    public static SecretRef credentialRefresh(String provider) {
        return new SecretRef("credential", provider, "refresh");
    }

    /** The whole credential file an AI CLI's login wrote, sealed as it was. */
    public static SecretRef credentialFile(String provider) {
        return new SecretRef("credential", provider, "captured_file");
    }

    public static SecretRef deviceCode(String sessionId) {
        return new SecretRef("login", sessionId, "device_code");
    }
}
