package io.authrelay.sim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An AI CLI vendor the simulator stands in for, whatever its flavour: every simulator serves each vendor's token
 * endpoint and fake API under the vendor's own path prefix ({@code /openai}, {@code /anthropic}, {@code /google}), so
 * one instance serves all three next to the flavour's OAuth provider. A vendor knows its CLI's public client, whether
 * its refresh tokens rotate, and how its answers and errors are worded; the grants are {@link VendorGrants}'.
 */
public enum Vendor {
    /** OpenAI (Codex): JSON refresh bodies, rotating refresh tokens, JWT access tokens, errors as {@code error:{code}}. */
    OPENAI("openai", "/oauth/token", "app_EMoamEEZ73f0CkXaXp7hrann", null, true, 3600) {
        @Override
        String newAccessToken(VendorCredential c, long now, int lifetimeSeconds, IdTokenSigner signer) {
            return signer.sign(OpenAiClaims.accessToken(c, now, lifetimeSeconds));
        }

        @Override
        String newRefreshToken() {
            return "rt_" + Ids.alnum(64);
        }

        @Override
        void addTokenFields(Map<String, Object> body, VendorCredential c, long now, IdTokenSigner signer) {
            body.put("id_token", signer.sign(OpenAiClaims.idToken(c, now)));
            body.put("scope", "openid profile email offline_access");
        }

        @Override
        String errorCode(VendorRejection rejection) {
            return switch (rejection) {
                case REUSED -> "refresh_token_reused";
                case REVOKED -> "refresh_token_invalidated";
                default -> rejection.standardCode();
            };
        }

        @Override
        Map<String, Object> errorBody(String code, String description) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", description);
            error.put("type", "invalid_request_error");
            error.put("param", null);
            error.put("code", code);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", error);
            return body;
        }
    },
    /** Anthropic (Claude Code): JSON refresh bodies; opaque tokens; RFC 6749 errors. */
    ANTHROPIC("anthropic", "/v1/oauth/token", "9d1c250a-e61b-44d9-88ed-5944d1962f5e", null, true, 28_800) {
        @Override
        String newAccessToken(VendorCredential c, long now, int lifetimeSeconds, IdTokenSigner signer) {
            return "sk-ant-oat01-" + Ids.alnum(86);
        }

        @Override
        String newRefreshToken() {
            return "sk-ant-ort01-" + Ids.alnum(86);
        }

        @Override
        void addTokenFields(Map<String, Object> body, VendorCredential c, long now, IdTokenSigner signer) {
            body.put("scope", "user:inference user:profile");
            body.put("account", Map.of("uuid", c.accountId(), "email_address", c.login() + "@example.test"));
        }
    },
    /** Google (Gemini CLI): form refresh bodies with the installed app's published secret; refresh tokens never rotate. */
    GOOGLE(
            "google",
            "/token",
            "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com",
            "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",
            false,
            3599) {
        @Override
        String newAccessToken(VendorCredential c, long now, int lifetimeSeconds, IdTokenSigner signer) {
            return "ya29." + Ids.alnum(150);
        }

        @Override
        String newRefreshToken() {
            return "1//0" + Ids.alnum(100);
        }

        @Override
        void addTokenFields(Map<String, Object> body, VendorCredential c, long now, IdTokenSigner signer) {
            body.put("scope", "https://www.googleapis.com/auth/cloud-platform openid");
        }
    };

    private final String name;
    private final String tokenPath;
    private final String clientId;
    private final String clientSecret;
    private final boolean rotatesRefreshTokens;
    private final int accessTokenLifetimeSeconds;

    Vendor(
            String name,
            String tokenPath,
            String clientId,
            String clientSecret,
            boolean rotatesRefreshTokens,
            int accessTokenLifetimeSeconds) {
        this.name = name;
        this.tokenPath = tokenPath;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.rotatesRefreshTokens = rotatesRefreshTokens;
        this.accessTokenLifetimeSeconds = accessTokenLifetimeSeconds;
    }

    /** The vendor of this name, in any case, or null. */
    static Vendor named(String name) {
        for (Vendor v : values()) {
            if (v.name.equalsIgnoreCase(name)) return v;
        }
        return null;
    }

    static List<String> names() {
        return Arrays.stream(values()).map(Vendor::vendorName).toList();
    }

    /** Lower case; also the path prefix without its slash. */
    public String vendorName() {
        return name;
    }

    /** Where everything of this vendor is served: {@code /openai}. */
    public String prefix() {
        return "/" + name;
    }

    /** The token endpoint's path, prefix included: {@code /openai/oauth/token}. */
    public String tokenPath() {
        return prefix() + tokenPath;
    }

    /** The public client id of the vendor's CLI; the only client its token endpoint knows. */
    public String clientId() {
        return clientId;
    }

    /** The installed app's published client secret the token endpoint requires, or null when it takes none. */
    public String clientSecret() {
        return clientSecret;
    }

    /** Whether a credential minted without saying otherwise gets a new refresh token with every refresh. */
    public boolean rotatesRefreshTokens() {
        return rotatesRefreshTokens;
    }

    /** Lifetime of the access tokens refreshes issue. */
    public int accessTokenLifetimeSeconds() {
        return accessTokenLifetimeSeconds;
    }

    abstract String newAccessToken(VendorCredential c, long now, int lifetimeSeconds, IdTokenSigner signer);

    abstract String newRefreshToken();

    /** The vendor's own fields of a token answer, next to the access and refresh tokens and expires_in. */
    abstract void addTokenFields(Map<String, Object> body, VendorCredential c, long now, IdTokenSigner signer);

    /** The error code this vendor answers for a rejection; RFC 6749's by default. */
    String errorCode(VendorRejection rejection) {
        return rejection.standardCode();
    }

    /** An error body as the vendor words it; RFC 6749's {@code error} and {@code error_description} by default. */
    Map<String, Object> errorBody(String code, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        return body;
    }
}
