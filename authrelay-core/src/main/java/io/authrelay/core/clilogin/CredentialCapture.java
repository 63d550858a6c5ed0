package io.authrelay.core.clilogin;

/**
 * Which file a successful login leaves in the run's home, and where in it (JSON pointers) the broker finds what it
 * needs. A login counts only when this file was written after the run started and every required field parses.
 *
 * @param file path relative to the run's home
 * @param accessToken pointer to the access token (or the API key), required
 * @param refreshToken pointer to the refresh token; null when the CLI keeps none
 * @param expiresAt pointer to the expiry; null when the token does not say
 * @param expiresAtFormat {@code epoch_ms}, {@code epoch_s}, {@code rfc3339} or {@code jwt_exp} (read from the access
 *     token's own {@code exp} claim)
 * @param account pointer to the account the login signed in as (id or e-mail); null when no file says
 * @param accountFile the file {@code account} points into, relative to the run's home; null for {@code file}
 */
public record CredentialCapture(
        String file,
        String accessToken,
        String refreshToken,
        String expiresAt,
        String expiresAtFormat,
        String account,
        String accountFile) {}
