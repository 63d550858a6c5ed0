package io.authrelay.core.provider;

/**
 * What a user asks for when adding a provider; unset fields are null and get the kind's defaults. {@code type} is a
 * provider kind or an AI-CLI driver; {@code mode} and {@code mcpInput} apply to the latter only.
 */
public record ProviderSpec(
        String name,
        String type,
        String host,
        String username,
        String clientId,
        String baseUrl,
        String issuer,
        String scopes,
        String deviceEndpoint,
        String tokenEndpoint,
        boolean allowHttp,
        String mode,
        boolean mcpInput) {

    /** A spec for a kind that is not an AI CLI: no login mode, no MCP input. */
    public ProviderSpec(
            String name,
            String type,
            String host,
            String username,
            String clientId,
            String baseUrl,
            String issuer,
            String scopes,
            String deviceEndpoint,
            String tokenEndpoint,
            boolean allowHttp) {
        this(
                name,
                type,
                host,
                username,
                clientId,
                baseUrl,
                issuer,
                scopes,
                deviceEndpoint,
                tokenEndpoint,
                allowHttp,
                null,
                false);
    }
}
