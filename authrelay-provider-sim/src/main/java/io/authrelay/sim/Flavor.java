package io.authrelay.sim;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which provider a simulator imitates. A flavour owns its routes and how its answers look: token shapes, error
 * statuses and fields, content negotiation, the verification URI. Grant state, fault injection, the poll log, the
 * {@code /sim/*} control endpoints and the AI CLI vendor stand-ins ({@link Vendor}) are the same for every flavour.
 *
 * <p>Flavours are written in this package (their hooks are package-private) and registered below, where
 * {@link #named} finds them; {@link ProviderSimulator} explains how to add one.
 */
public abstract class Flavor {

    /** A generic OpenID Connect provider: discovery, JWKS, userinfo, RFC 7009 revocation, signed id_tokens. */
    public static final Flavor OIDC = new OidcFlavor();
    /** GitHub (github.com and Enterprise Server): OAuth App or GitHub App device flow, REST user and app endpoints. */
    public static final Flavor GITHUB = new GitHubFlavor();

    /** The flavours {@link #named} finds. */
    private static final List<Flavor> REGISTERED = List.of(OIDC, GITHUB);

    private final String name;
    private final int defaultTokenLifetimeSeconds;

    Flavor(String name, int defaultTokenLifetimeSeconds) {
        this.name = name;
        this.defaultTokenLifetimeSeconds = defaultTokenLifetimeSeconds;
    }

    /**
     * The registered flavour of this name, in any case.
     *
     * @throws IllegalArgumentException naming the valid names, if none has it
     */
    public static Flavor named(String name) {
        for (Flavor f : REGISTERED) {
            if (f.name.equalsIgnoreCase(name)) return f;
        }
        throw new IllegalArgumentException("unknown flavor \"" + name + "\"; valid flavors: "
                + REGISTERED.stream().map(Flavor::name).collect(Collectors.joining(", ")));
    }

    /** Lower case, as {@link #named} and {@code authrelay dev provider-sim --flavor} take it. */
    public final String name() {
        return name;
    }

    @Override
    public final String toString() {
        return name;
    }

    /** Access token lifetime of {@link SimOptions#defaults}; 0 = tokens never expire and come without refresh token. */
    public final int defaultTokenLifetimeSeconds() {
        return defaultTokenLifetimeSeconds;
    }

    // ---------------------------------------------------------------- hooks for the simulator

    /**
     * Adds this flavour's endpoints; called once as {@code sim} starts, before it has an address. The shared device
     * flow is {@code sim.deviceFlow()}; tokens and grants are {@code sim.grants()}.
     */
    abstract void addRoutes(RoutesConfig routes, ProviderSimulator sim);

    /** The body of a 404 for a path this flavour does not serve. */
    abstract Map<String, Object> notFound(Context ctx);

    /** Adds the verification URI fields to a device authorization answer. */
    abstract void addVerificationUris(Map<String, Object> answer, String baseUrl, String userCode);

    abstract String newAccessToken();

    abstract String newRefreshToken();

    /** How long refresh tokens live; 0 = until used or revoked. */
    abstract int refreshTokenLifetimeSeconds();

    /** The token endpoint's success answer. */
    abstract Map<String, Object> tokenResponse(IssuedTokens tokens, ProviderSimulator sim);

    /** The HTTP status of an OAuth error at the token endpoint or at the device authorization endpoint. */
    abstract int errorStatus(OAuthError error, boolean atTokenEndpoint);

    /** Adds this flavour's fields to an OAuth error body that already has error and error_description. */
    abstract void addErrorDetails(Map<String, Object> body, OAuthError error);

    /** How device authorization and token endpoint answers are encoded for this request. */
    abstract WireFormat answerFormat(Context ctx);

    /** The page a verification URI opens, headed with this flavour's name. */
    final void showDevicePage(Context ctx) {
        DevicePage.show(ctx, name);
    }
}
