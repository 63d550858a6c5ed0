package io.authrelay.core.clilogin;

import java.util.List;

/**
 * How a captured OAuth credential is refreshed at its vendor: the token endpoint, the CLI's public client id, and the
 * body format ({@code json}: {@code {"client_id","grant_type":"refresh_token","refresh_token"}}, or {@code form}:
 * the same as application/x-www-form-urlencoded). Refresh tokens may rotate; when an answer carries none the old one
 * is kept. {@code clientSecret} is an installed app's published secret (Google's), never a user's. {@code permanentErrors} are error codes that mean the login is gone (never retried).
 */
public record RefreshSpec(
        String tokenEndpoint,
        String clientId,
        String clientSecret,
        String bodyFormat,
        String scope,
        List<String> permanentErrors) {

    public static final String JSON = "json";
    public static final String FORM = "form";

    public RefreshSpec {
        permanentErrors = permanentErrors == null ? List.of() : List.copyOf(permanentErrors);
    }
}
