package io.authrelay.core.provider;

/** What a user asks for when adding a provider; unset fields are null and get the kind's defaults. */
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
        boolean allowHttp) {}
