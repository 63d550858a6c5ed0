package io.authrelay.core.oauth;

/** Who a token belongs to and what it may do, as the provider reports it. */
public record Identity(String account, String scopes) {}
