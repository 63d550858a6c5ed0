package io.authrelay.core.clilogin;

import io.authrelay.core.vault.Secret;
import java.time.Instant;

/**
 * What a finished login left in the CLI's credential file, already validated: the access token (or API key), the
 * refresh token when there is one, its expiry when known, the account it signed in as when the files say, and the
 * whole file, which is sealed as it was.
 *
 * @param kind {@link CliDriver#OAUTH} or {@link CliDriver#API_KEY}
 */
public record CapturedCredential(
        String kind, Secret access, Secret refresh, Instant expiresAt, String account, Secret file) {}
