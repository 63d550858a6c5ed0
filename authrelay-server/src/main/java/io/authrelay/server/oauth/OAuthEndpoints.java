package io.authrelay.server.oauth;

import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.authrelay.core.DomainException;
import io.authrelay.core.net.Loopback;
import io.authrelay.core.oauth.OAuthSettings;
import io.authrelay.core.oauth.ProviderUnavailableException;
import io.authrelay.core.provider.OAuthEndpointResolver;
import io.authrelay.core.provider.ProviderKind;
import io.authrelay.core.provider.ProviderSpec;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/** GitHub's well-known paths (github.com or Enterprise Server), and OpenID Connect discovery for everything else. */
public final class OAuthEndpoints implements OAuthEndpointResolver {
    private static final String GITHUB = "https://github.com";

    private final ProviderHttp http;

    public OAuthEndpoints(ProviderHttp http) {
        this.http = http;
    }

    @Override
    public OAuthSettings resolve(ProviderKind kind, ProviderSpec spec) {
        return switch (kind) {
            case GITHUB -> github(spec);
            case OIDC_DEVICE -> oidc(spec);
            case STATIC, CLI_LOGIN ->
                throw new IllegalArgumentException(kind.wireName() + " providers have no OAuth endpoints of their own");
        };
    }

    @Override
    public String defaultHost(ProviderKind kind, ProviderSpec spec, OAuthSettings settings) {
        return settings.issuer().getHost();
    }

    private static OAuthSettings github(ProviderSpec spec) {
        URI baseUri = uri("--base-url", trimSlash(spec.baseUrl() == null ? GITHUB : spec.baseUrl()));
        String base = baseUri.toString();
        String api = base.equals(GITHUB) ? "https://api.github.com" : base + "/api/v3";
        return new OAuthSettings(
                spec.clientId(),
                spec.scopes() == null ? "repo read:user" : spec.scopes(),
                baseUri,
                URI.create(base + "/login/device/code"),
                URI.create(base + "/login/oauth/access_token"),
                URI.create(api + "/user"),
                null);
    }

    private OAuthSettings oidc(ProviderSpec spec) {
        if (spec.issuer() == null) {
            throw DomainException.invalid(
                    "missing_issuer",
                    "oidc-device providers need --issuer",
                    "for example: --issuer https://sso.example.com/realms/dev");
        }
        URI issuer = uri("--issuer", trimSlash(spec.issuer()));
        String scopes = spec.scopes() == null ? "openid profile email" : spec.scopes();
        if (spec.deviceEndpoint() != null && spec.tokenEndpoint() != null) {
            return new OAuthSettings(
                    spec.clientId(),
                    scopes,
                    issuer,
                    uri("--device-endpoint", spec.deviceEndpoint()),
                    uri("--token-endpoint", spec.tokenEndpoint()),
                    null,
                    null);
        }
        OIDCProviderMetadata metadata = discover(spec.name(), issuer);
        URI device = spec.deviceEndpoint() != null
                ? uri("--device-endpoint", spec.deviceEndpoint())
                : secure("the discovered device_authorization_endpoint", metadata.getDeviceAuthorizationEndpointURI());
        URI token = spec.tokenEndpoint() != null
                ? uri("--token-endpoint", spec.tokenEndpoint())
                : secure("the discovered token_endpoint", metadata.getTokenEndpointURI());
        if (device == null) {
            throw DomainException.invalid(
                    "no_device_endpoint",
                    issuer + " does not advertise a device authorization endpoint",
                    "pass --device-endpoint explicitly, or enable the device flow on the server");
        }
        return new OAuthSettings(
                spec.clientId(),
                scopes,
                issuer,
                device,
                token,
                secure("the discovered userinfo_endpoint", metadata.getUserInfoEndpointURI()),
                secure("the discovered revocation_endpoint", metadata.getRevocationEndpointURI()));
    }

    /**
     * Reads the issuer's discovery document. An issuer that cannot be reached, or answers 5xx or 429, is unavailable
     * (worth trying again later: a declared provider keeps its last known endpoints); any other answer that is not
     * its document means the configuration is wrong.
     */
    private OIDCProviderMetadata discover(String provider, URI issuer) {
        URI document = URI.create(issuer + "/.well-known/openid-configuration");
        HTTPResponse response;
        try {
            response = http.send(new HTTPRequest(HTTPRequest.Method.GET, document));
        } catch (IOException e) {
            throw new ProviderUnavailableException(
                    provider, "OpenID discovery at " + document + " failed: " + ProviderHttp.describe(e));
        }
        int status = response.getStatusCode();
        if (status >= 500 || status == 429) {
            throw new ProviderUnavailableException(
                    provider, "OpenID discovery at " + document + " answered HTTP " + status);
        }
        try {
            if (status != 200) throw new GeneralException("it answered HTTP " + status);
            OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(response.getBody());
            if (!metadata.getIssuer().getValue().equals(issuer.toString())) {
                throw new GeneralException("it names another issuer, " + metadata.getIssuer());
            }
            return metadata;
        } catch (GeneralException e) {
            throw DomainException.invalid(
                    "discovery_failed",
                    "OpenID discovery at " + document + " failed: " + e.getMessage(),
                    "check --issuer, or pass --device-endpoint and --token-endpoint");
        }
    }

    private static URI uri(String option, String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("invalid_url", option + " must be an https URL", null);
        }
        return secure(option, uri);
    }

    /**
     * Device codes, tokens and refresh tokens travel to these endpoints: https only, and plain http only to this
     * machine (the simulator, a local test issuer). A literal loopback name, never a DNS answer that can change.
     * Scheme and host come back lower-cased, so that what is compared later (an issuer, a default host) is the
     * normalised form.
     */
    public static URI secure(String source, URI uri) {
        if (uri == null) return null;
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || !(scheme.equals("https") || scheme.equals("http")))
            throw DomainException.invalid("invalid_url", source + " must be an https URL", null);
        if (uri.getRawUserInfo() != null)
            throw DomainException.invalid("invalid_url", source + " must not carry a user name or password", null);
        if (scheme.equals("http") && !Loopback.isLiteral(host)) {
            throw DomainException.invalid(
                    "insecure_url",
                    source + " is plain http to " + host + ": tokens would cross the network unencrypted",
                    "use https; plain http is accepted only for 127.0.0.1, [::1] or localhost");
        }
        // No user info (refused above), so the raw authority is the host and port: lower-casing it touches only the
        // host.
        return URI.create(scheme + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT)
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
