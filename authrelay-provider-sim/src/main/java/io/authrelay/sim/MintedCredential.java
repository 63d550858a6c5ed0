package io.authrelay.sim;

/**
 * A vendor credential minted without a login, as a CLI's login would have left it.
 *
 * @param credentialId names it in {@code /sim/vendor-credentials} and {@link ProviderSimulator#vendorRefreshGrants}
 * @param accountId    the vendor account (ChatGPT account id, Anthropic account uuid)
 * @param idToken      OpenAI's id_token, null for other vendors
 * @param expiresIn    seconds the access token lives; negative for one already expired
 */
public record MintedCredential(
        String credentialId,
        Vendor vendor,
        String accountId,
        String accessToken,
        String refreshToken,
        String idToken,
        int expiresIn) {

    @Override
    public String toString() {
        return "MintedCredential[" + vendor.vendorName() + " " + credentialId + ", tokens redacted]";
    }
}
