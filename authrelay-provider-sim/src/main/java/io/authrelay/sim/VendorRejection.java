package io.authrelay.sim;

/** Why a vendor token endpoint refused a grant; each vendor words it in its own error shape. */
enum VendorRejection implements VendorGrantResult {
    MISSING_PARAMETER("invalid_request", "a required parameter is missing", 400),
    UNKNOWN_CLIENT("invalid_client", "unknown client_id or wrong client_secret", 401),
    UNKNOWN_TOKEN("invalid_grant", "the refresh token is unknown", 400),
    REUSED("invalid_grant", "the refresh token was already used; every token of this login is revoked", 400),
    REVOKED("invalid_grant", "the refresh token was revoked", 400),
    UNKNOWN_CODE("invalid_grant", "the authorization code is unknown, used or does not match the code_verifier", 400),
    UNSUPPORTED_GRANT("unsupported_grant_type", "unsupported grant_type", 400);

    private final String standardCode;
    private final String description;
    private final int status;

    VendorRejection(String standardCode, String description, int status) {
        this.standardCode = standardCode;
        this.description = description;
        this.status = status;
    }

    /** The RFC 6749 error code. */
    String standardCode() {
        return standardCode;
    }

    String description() {
        return description;
    }

    int status() {
        return status;
    }
}
