package io.authrelay.core.clilogin;

import io.authrelay.core.vault.Secret;
import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.SecretStore;
import io.authrelay.core.workspace.Workspace;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Codex refreshes by posting its refresh token to a URL and nothing else: no header carries a credential. A workspace's
 * codex therefore holds a ticket in place of the refresh token, which the broker answers with its current access token.
 * A ticket names its workspace and provider and is bound to the workspace's current token, so rotating or revoking the
 * workspace ends it; it yields only what a vend would, and it is no vendor refresh token.
 */
public final class RefreshTickets {
    public static final String PREFIX = "arx_";
    private static final SecretRef KEY = new SecretRef("daemon", "delivery", "ticket_key");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretStore secrets;

    public RefreshTickets(SecretStore secrets) {
        this.secrets = secrets;
    }

    /** Creates the signing key on the first start; it stays sealed in the vault like every secret. */
    public void ensureKey() {
        if (secrets.get(KEY).isPresent()) return;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        secrets.put(KEY, new Secret(B64.encodeToString(key)));
    }

    public String issue(Workspace workspace, String provider) {
        return PREFIX + B64.encodeToString(utf8(workspace.name())) + "." + B64.encodeToString(utf8(provider)) + "."
                + B64.encodeToString(mac(workspace, provider));
    }

    /** What a ticket claims, before it is checked against its workspace; empty when it is not shaped like one. */
    public Optional<Claim> parse(String ticket) {
        if (ticket == null || !ticket.startsWith(PREFIX) || ticket.length() > 1024) return Optional.empty();
        String[] parts = ticket.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 3) return Optional.empty();
        try {
            return Optional.of(new Claim(
                    new String(B64D.decode(parts[0]), StandardCharsets.UTF_8),
                    new String(B64D.decode(parts[1]), StandardCharsets.UTF_8),
                    B64D.decode(parts[2])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code claim} was issued for this workspace as it is now (same token) and this provider. */
    public boolean matches(Claim claim, Workspace workspace) {
        return claim.workspace().equals(workspace.name())
                && MessageDigest.isEqual(claim.mac(), mac(workspace, claim.provider()));
    }

    public record Claim(String workspace, String provider, byte[] mac) {}

    private byte[] mac(Workspace workspace, String provider) {
        byte[] key = B64D.decode(secrets.get(KEY)
                .orElseThrow(() -> new IllegalStateException("the ticket key was not created"))
                .value());
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            // Lengths first, so no name and provider pair can be read as another.
            hmac.update(utf8(workspace.name().length() + ":" + workspace.name() + "|" + provider.length() + ":"
                    + provider + "|" + workspace.tokenHash()));
            return hmac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
