package io.authrelay.sim;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson3;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OAuth 2.0 provider simulator: the device authorization grant (RFC 8628), refresh-token rotation with reuse
 * detection, and fault injection, shaped either like a generic OIDC provider or like GitHub.
 *
 * <p>Start it with {@link #start(SimOptions)}; it listens until {@link #close()}. It never prints to stdout;
 * it logs through slf4j (nothing per request above DEBUG).
 */
public final class ProviderSimulator implements AutoCloseable {

    /** Which provider to imitate. */
    public enum Flavor {
        OIDC,
        GITHUB
    }

    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final String REFRESH_GRANT = "refresh_token";
    /** GitHub App user-to-server refresh tokens live six months. */
    static final int GITHUB_REFRESH_TOKEN_LIFETIME_SECONDS = 15_897_600;
    /** Oldest polls are dropped past this many, so a long benchmark cannot exhaust memory. */
    static final int MAX_POLLS = 2_000_000;

    static final String DEFAULT_LOGIN = "sim-user";

    private static final Logger log = LoggerFactory.getLogger(ProviderSimulator.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String JSON = "application/json";
    private static final String JSON_UTF8 = "application/json;charset=utf-8";
    private static final String FORM_UTF8 = "application/x-www-form-urlencoded; charset=utf-8";
    private static final String GITHUB_ERROR_URI =
            "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow";
    private static final int[] SERVER_ERROR_STATUSES = {500, 502, 503};
    private static final long MAX_LATENCY_MS = 600_000;
    private static final String ANSWERED = "io.authrelay.sim.answered";
    private static final Set<String> FAULT_FIELDS = Set.of(
            "latency_ms",
            "error_rate",
            "force_slow_down",
            "garbage_rate",
            "reset_rate",
            "code_lifetime_seconds",
            "token_lifetime_seconds",
            "interval_seconds");

    private final SimOptions options;
    private final Flavor flavor;
    private final RSAKey signingKey; // OIDC only
    private final RSASSASigner signer; // OIDC only
    private final Map<String, Object> jwks; // OIDC only
    private volatile Javalin app;
    private volatile String baseUrl;

    private volatile int intervalSeconds;
    private volatile int codeLifetimeSeconds;
    private volatile int tokenLifetimeSeconds;
    private volatile Faults faults = Faults.none();
    private final AtomicInteger slowDownsLeft = new AtomicInteger();
    private final Set<String> allowedClients = ConcurrentHashMap.newKeySet();

    private final ConcurrentHashMap<String, DeviceGrant> byDeviceCode = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DeviceGrant> byUserCode = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Tokens.Access> accessTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Tokens.Refresh> refreshTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Tokens.Family> families = new ConcurrentHashMap<>();
    private final AtomicLong familyIds = new AtomicLong();

    private final ConcurrentLinkedQueue<PollEntry> polls = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pollCount = new AtomicInteger();

    private final AtomicInteger deviceCodesIssued = new AtomicInteger();
    private final AtomicInteger deviceTokensIssued = new AtomicInteger();
    private final AtomicInteger refreshGrantsSucceeded = new AtomicInteger();
    private final AtomicInteger refreshGrantsRejected = new AtomicInteger();
    private final AtomicInteger familiesRevoked = new AtomicInteger();

    private ProviderSimulator(SimOptions options) {
        this.options = options;
        this.flavor = options.flavor();
        this.intervalSeconds = options.intervalSeconds();
        this.codeLifetimeSeconds = options.codeLifetimeSeconds();
        this.tokenLifetimeSeconds = options.tokenLifetimeSeconds();
        if (flavor == Flavor.OIDC) {
            try {
                this.signingKey = new RSAKeyGenerator(2048)
                        .keyID(UUID.randomUUID().toString())
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256)
                        .generate();
                this.signer = new RSASSASigner(signingKey);
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot generate the id_token signing key", e);
            }
            this.jwks = new JWKSet(signingKey.toPublicJWK()).toJSONObject(true);
        } else {
            this.signingKey = null;
            this.signer = null;
            this.jwks = Map.of();
        }
    }

    /** Starts a simulator; it is listening when this returns. */
    public static ProviderSimulator start(SimOptions options) {
        ProviderSimulator sim = new ProviderSimulator(options);
        sim.app = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.startup.showOldJavalinVersionWarning = false;
                    // Virtual threads: injected latency sleeps must not exhaust a bounded platform-thread pool.
                    config.concurrency.useVirtualThreads = true;
                    config.http.maxRequestSize = 64 * 1024;
                    config.http.defaultContentType = JSON;
                    config.jsonMapper(new JavalinJackson3(MAPPER, false));
                    config.jetty.host = options.host();
                    config.jetty.port = options.port();
                    config.jetty.modifyHttpConfiguration(http -> {
                        http.setSendServerVersion(false);
                        http.setSendXPoweredBy(false);
                    });
                    sim.routes(config.routes);
                    config.routes.exception(Exception.class, (e, ctx) -> {
                        log.warn("simulator error on {} {}", ctx.method(), ctx.path(), e);
                        sim.jsonResult(
                                ctx, 500, Map.of("error", "server_error", "error_description", "simulator bug: " + e));
                    });
                    config.routes.error(404, ctx -> {
                        if (ctx.attribute(ANSWERED) == null) {
                            if (sim.flavor == Flavor.GITHUB) {
                                sim.jsonResult(
                                        ctx,
                                        404,
                                        Map.of(
                                                "message",
                                                "Not Found",
                                                "documentation_url",
                                                "https://docs.github.com/rest"));
                            } else {
                                sim.jsonResult(
                                        ctx,
                                        404,
                                        Map.of(
                                                "error",
                                                "not_found",
                                                "error_description",
                                                "no such endpoint: " + ctx.method() + " " + ctx.path()));
                            }
                        }
                    });
                })
                .start();
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        sim.baseUrl = "http://" + host + ":" + sim.app.port();
        log.info("provider simulator ({}) listening on {}", sim.flavor, sim.baseUrl);
        return sim;
    }

    // ---------------------------------------------------------------- public API

    public int port() {
        return app.port();
    }

    /** http://HOST:PORT, no trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The OIDC issuer; the same as {@link #baseUrl()}. */
    public String issuer() {
        return baseUrl;
    }

    public Flavor flavor() {
        return flavor;
    }

    public SimOptions options() {
        return options;
    }

    /**
     * Approves a pending device code as {@code login} (null or blank: "sim-user"). The user code is matched
     * case-insensitively, with or without the dash.
     *
     * @throws NoSuchElementException if no device code has that user code
     * @throws IllegalStateException  if the code was denied, already redeemed, or has expired
     */
    public void approve(String userCode, String login) {
        DeviceGrant g = grantByUserCode(userCode);
        String who = login == null || login.isBlank() ? DEFAULT_LOGIN : login.strip();
        synchronized (g) {
            requireOpen(g);
            g.state = DeviceGrant.State.APPROVED;
            g.login = who;
        }
    }

    /**
     * Denies a device code: the next poll answers access_denied.
     *
     * @throws NoSuchElementException if no device code has that user code
     * @throws IllegalStateException  if the code was already redeemed or has expired
     */
    public void deny(String userCode) {
        DeviceGrant g = grantByUserCode(userCode);
        synchronized (g) {
            if (g.state == DeviceGrant.State.DENIED) return;
            requireOpen(g);
            g.state = DeviceGrant.State.DENIED;
        }
    }

    /**
     * The user removes the app's authorization at the provider: every access and refresh token of every grant
     * {@code login} made (any client) is revoked. Returns how many token families were newly revoked.
     */
    public int revokeLogin(String login) {
        int n = 0;
        for (Tokens.Family f : families.values()) {
            if (f.login.equals(login) && revokeFamily(f)) n++;
        }
        return n;
    }

    /** A snapshot of the token-endpoint requests seen (at most the latest {@value #MAX_POLLS}). */
    public List<Poll> polls() {
        List<Poll> out = new ArrayList<>();
        for (PollEntry e : polls) out.add(e.toPoll());
        return out;
    }

    public void setFaults(Faults f) {
        Faults next = f == null ? Faults.none() : f;
        faults = next;
        slowDownsLeft.set(next.forceSlowDown());
    }

    /** The faults in force; {@code forceSlowDown} is the number of forced slow_downs still to come. */
    public Faults faults() {
        Faults f = faults;
        return new Faults(f.latencyMs(), f.errorRate(), slowDownsLeft.get(), f.garbageRate(), f.resetRate());
    }

    public GrantCounts grantCounts() {
        return new GrantCounts(
                deviceCodesIssued.get(),
                deviceTokensIssued.get(),
                refreshGrantsSucceeded.get(),
                refreshGrantsRejected.get(),
                familiesRevoked.get());
    }

    /** Lifetime of device codes issued from now on. */
    public void setCodeLifetimeSeconds(int seconds) {
        if (seconds < 1) throw new IllegalArgumentException("code lifetime must be >= 1 s");
        codeLifetimeSeconds = seconds;
    }

    /** Lifetime of access tokens issued from now on; 0 = never expire and no refresh token. */
    public void setTokenLifetimeSeconds(int seconds) {
        if (seconds < 0) throw new IllegalArgumentException("token lifetime must be >= 0 s");
        tokenLifetimeSeconds = seconds;
    }

    /** Polling interval handed out with device codes issued from now on (0 = no rate enforcement until a slow_down). */
    public void setIntervalSeconds(int seconds) {
        if (seconds < 0) throw new IllegalArgumentException("interval must be >= 0 s");
        intervalSeconds = seconds;
    }

    public int codeLifetimeSeconds() {
        return codeLifetimeSeconds;
    }

    public int tokenLifetimeSeconds() {
        return tokenLifetimeSeconds;
    }

    public int intervalSeconds() {
        return intervalSeconds;
    }

    /**
     * Restricts the known client ids to these (by default any non-blank client_id is known). An empty call
     * goes back to accepting any client.
     */
    public void allowClients(String... clientIds) {
        allowedClients.clear();
        allowedClients.addAll(Arrays.asList(clientIds));
    }

    /** Clears faults and the poll log and restores interval and lifetimes to the start options. */
    public void reset() {
        setFaults(Faults.none());
        polls.clear();
        pollCount.set(0);
        intervalSeconds = options.intervalSeconds();
        codeLifetimeSeconds = options.codeLifetimeSeconds();
        tokenLifetimeSeconds = options.tokenLifetimeSeconds();
    }

    @Override
    public void close() {
        Javalin a = app;
        if (a != null) {
            a.stop();
            log.info("provider simulator ({}) on {} stopped", flavor, baseUrl);
        }
    }

    // ---------------------------------------------------------------- routes

    private void routes(io.javalin.config.RoutesConfig r) {
        if (flavor == Flavor.OIDC) {
            r.get("/.well-known/openid-configuration", this::discovery);
            r.post("/oauth/device_authorization", this::deviceAuthorization);
            r.post("/oauth/token", this::token);
            r.get("/userinfo", this::userinfo);
            r.post("/userinfo", this::userinfo);
            r.post("/oauth/revoke", this::oidcRevoke);
            r.get("/jwks", ctx -> jsonResult(ctx, 200, jwks));
            r.get(
                    "/oauth/authorize",
                    ctx -> jsonResult(
                            ctx,
                            400,
                            Map.of(
                                    "error",
                                    "unsupported_response_type",
                                    "error_description",
                                    "this simulator implements only the device authorization grant")));
            r.get("/device", this::devicePage);
        } else {
            r.post("/login/device/code", this::deviceAuthorization);
            r.post("/login/oauth/access_token", this::token);
            r.get("/user", this::githubUser);
            r.get("/api/v3/user", this::githubUser);
            r.delete("/applications/{client_id}/grant", ctx -> githubRevoke(ctx, true));
            r.delete("/api/v3/applications/{client_id}/grant", ctx -> githubRevoke(ctx, true));
            r.delete("/applications/{client_id}/token", ctx -> githubRevoke(ctx, false));
            r.delete("/api/v3/applications/{client_id}/token", ctx -> githubRevoke(ctx, false));
            r.get("/login/device", this::devicePage);
        }
        r.post("/sim/approve", this::simApprove);
        r.post("/sim/deny", this::simDeny);
        r.post("/sim/revoke", ctx -> {
            String login = params(ctx).get("login");
            if (login == null || login.isBlank()) {
                jsonResult(ctx, 400, Map.of("error", "invalid_request", "error_description", "login is required"));
                return;
            }
            jsonResult(ctx, 200, Map.of("login", login, "families_revoked", revokeLogin(login)));
        });
        r.get("/sim/polls", this::simPolls);
        r.get("/sim/faults", ctx -> jsonResult(ctx, 200, faultsDocument()));
        r.post("/sim/faults", this::simSetFaults);
        r.get("/sim/grants", ctx -> jsonResult(ctx, 200, grantsDocument()));
        r.post("/sim/reset", ctx -> {
            reset();
            jsonResult(ctx, 200, Map.of("reset", true));
        });
    }

    private void discovery(Context ctx) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", baseUrl);
        d.put("authorization_endpoint", baseUrl + "/oauth/authorize");
        d.put("device_authorization_endpoint", baseUrl + "/oauth/device_authorization");
        d.put("token_endpoint", baseUrl + "/oauth/token");
        d.put("userinfo_endpoint", baseUrl + "/userinfo");
        d.put("revocation_endpoint", baseUrl + "/oauth/revoke");
        d.put("jwks_uri", baseUrl + "/jwks");
        d.put("grant_types_supported", List.of(DEVICE_GRANT, REFRESH_GRANT));
        d.put("response_types_supported", List.of("code"));
        d.put("subject_types_supported", List.of("public"));
        d.put("id_token_signing_alg_values_supported", List.of("RS256"));
        d.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        d.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_post", "client_secret_basic"));
        d.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "preferred_username", "email"));
        jsonResult(ctx, 200, d);
    }

    // ---------------------------------------------------------------- device authorization

    private void deviceAuthorization(Context ctx) {
        Map<String, String> p = params(ctx);
        if (injectFaults(ctx, null)) return;
        send(ctx, issueDeviceCode(ctx, p));
    }

    private Reply issueDeviceCode(Context ctx, Map<String, String> p) {
        String clientId = clientId(ctx, p);
        if (!clientKnown(clientId)) return oauthError(ctx, false, "invalid_client", "unknown client_id", -1);
        long now = System.currentTimeMillis();
        int lifetime = codeLifetimeSeconds;
        int interval = intervalSeconds;
        String scope = p.getOrDefault("scope", "").strip();
        DeviceGrant g = null;
        for (int attempt = 0; attempt < 16 && g == null; attempt++) {
            String userCode = Ids.userCode();
            DeviceGrant candidate =
                    new DeviceGrant(Ids.hex(40), userCode, clientId, scope, now + lifetime * 1000L, interval);
            if (byUserCode.putIfAbsent(Ids.normalizeUserCode(userCode), candidate) == null) g = candidate;
        }
        if (g == null) throw new IllegalStateException("could not find a free user code");
        byDeviceCode.put(g.deviceCode, g);
        deviceCodesIssued.incrementAndGet();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_code", g.deviceCode);
        body.put("user_code", g.userCode);
        if (flavor == Flavor.GITHUB) {
            body.put("verification_uri", baseUrl + "/login/device");
        } else {
            body.put("verification_uri", baseUrl + "/device");
            body.put("verification_uri_complete", baseUrl + "/device?user_code=" + g.userCode);
        }
        body.put("expires_in", lifetime);
        body.put("interval", interval);
        return shaped(ctx, 200, body, null);
    }

    // ---------------------------------------------------------------- token endpoint

    private void token(Context ctx) {
        long at = System.currentTimeMillis();
        Map<String, String> p = params(ctx);
        String grantType = canonicalGrantType(p.get("grant_type"));
        DeviceGrant g = DEVICE_GRANT.equals(grantType) ? byDeviceCode.get(p.getOrDefault("device_code", "")) : null;
        String userCode = g == null ? null : g.userCode;
        if (injectFaults(ctx, new PollContext(at, grantType, userCode))) return;
        Reply reply;
        if (DEVICE_GRANT.equals(grantType)) {
            reply = deviceCodeGrant(ctx, p, g, at);
        } else if (REFRESH_GRANT.equals(grantType)) {
            reply = refreshGrant(ctx, p, at);
        } else {
            reply = oauthError(
                    ctx,
                    true,
                    "unsupported_grant_type",
                    grantType == null ? "grant_type is required" : "unsupported grant_type",
                    -1);
        }
        PollEntry entry = record(at, grantType, userCode, reply.status(), reply.error());
        if (!send(ctx, reply)) entry.error = "timeout";
    }

    private Reply deviceCodeGrant(Context ctx, Map<String, String> p, DeviceGrant g, long now) {
        String clientId = clientId(ctx, p);
        if (!clientKnown(clientId)) return oauthError(ctx, true, "invalid_client", "unknown client_id", -1);
        if (slowDownsLeft.get() > 0 && slowDownsLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            int interval;
            if (g != null) {
                synchronized (g) {
                    g.intervalSeconds += 5;
                    g.lastPollMillis = now;
                    interval = g.intervalSeconds;
                }
            } else {
                interval = intervalSeconds + 5;
            }
            return oauthError(ctx, true, "slow_down", "forced slow_down (fault injection)", interval);
        }
        if (g == null) return oauthError(ctx, true, "invalid_grant", "unknown device_code", -1);
        String login;
        synchronized (g) {
            if (!g.clientId.equals(clientId)) {
                return oauthError(ctx, true, "invalid_grant", "the device_code was issued to another client", -1);
            }
            if (g.state == DeviceGrant.State.CONSUMED) {
                return oauthError(ctx, true, "invalid_grant", "the device_code was already redeemed", -1);
            }
            if (now >= g.expiresAtMillis) {
                return oauthError(ctx, true, "expired_token", "the device_code has expired", -1);
            }
            long last = g.lastPollMillis;
            g.lastPollMillis = now;
            if (last != 0 && now - last < g.intervalSeconds * 1000L) {
                g.intervalSeconds += 5;
                return oauthError(
                        ctx, true, "slow_down", "polling too fast; wait the interval between polls", g.intervalSeconds);
            }
            switch (g.state) {
                case PENDING -> {
                    return oauthError(
                            ctx, true, "authorization_pending", "the authorization request is still pending", -1);
                }
                case DENIED -> {
                    return oauthError(ctx, true, "access_denied", "the user denied the authorization request", -1);
                }
                default -> {
                    g.state = DeviceGrant.State.CONSUMED;
                    login = g.login;
                }
            }
        }
        deviceTokensIssued.incrementAndGet();
        Tokens.Family family = new Tokens.Family(familyIds.incrementAndGet(), login, g.clientId, g.scope);
        families.put(family.id, family);
        return issueTokens(ctx, family, now);
    }

    private Reply refreshGrant(Context ctx, Map<String, String> p, long now) {
        String clientId = clientId(ctx, p);
        if (!clientKnown(clientId)) {
            refreshGrantsRejected.incrementAndGet();
            return oauthError(ctx, true, "invalid_client", "unknown client_id", -1);
        }
        String value = p.get("refresh_token");
        Tokens.Refresh rt = value == null ? null : refreshTokens.get(value);
        if (rt == null) return rejectRefresh(ctx, "unknown refresh_token");
        if (!rt.family.clientId.equals(clientId))
            return rejectRefresh(ctx, "the refresh_token was issued to another client");
        synchronized (rt) {
            if (rt.used) {
                revokeFamily(rt.family);
                return rejectRefresh(ctx, "refresh_token reuse detected; every token of this grant is revoked");
            }
            if (rt.family.revoked) return rejectRefresh(ctx, "the refresh_token was revoked");
            if (rt.expiresAtMillis != 0 && now >= rt.expiresAtMillis)
                return rejectRefresh(ctx, "the refresh_token has expired");
            rt.used = true;
        }
        refreshGrantsSucceeded.incrementAndGet();
        return issueTokens(ctx, rt.family, now);
    }

    private Reply rejectRefresh(Context ctx, String description) {
        refreshGrantsRejected.incrementAndGet();
        return oauthError(ctx, true, "invalid_grant", description, -1);
    }

    private Reply issueTokens(Context ctx, Tokens.Family family, long now) {
        int lifetime = tokenLifetimeSeconds;
        boolean github = flavor == Flavor.GITHUB;
        String access = github ? "gho_" + Ids.alnum(36) : Ids.alnum(43);
        accessTokens.put(access, new Tokens.Access(access, family, lifetime > 0 ? now + lifetime * 1000L : 0));
        String refresh = null;
        if (lifetime > 0) {
            refresh = github ? "ghr_" + Ids.alnum(76) : Ids.alnum(64);
            long refreshExpiry = github ? now + GITHUB_REFRESH_TOKEN_LIFETIME_SECONDS * 1000L : 0;
            refreshTokens.put(refresh, new Tokens.Refresh(refresh, family, refreshExpiry));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", access);
        if (github) {
            if (lifetime > 0) {
                body.put("expires_in", lifetime);
                body.put("refresh_token", refresh);
                body.put("refresh_token_expires_in", GITHUB_REFRESH_TOKEN_LIFETIME_SECONDS);
            }
            body.put("scope", String.join(",", scopes(family.scope)));
            body.put("token_type", "bearer");
        } else {
            body.put("token_type", "Bearer");
            if (lifetime > 0) {
                body.put("expires_in", lifetime);
                body.put("refresh_token", refresh);
            }
            body.put("scope", String.join(" ", scopes(family.scope)));
            body.put("id_token", idToken(family, now, lifetime > 0 ? lifetime : 3600));
        }
        return shaped(ctx, 200, body, null);
    }

    private String idToken(Tokens.Family family, long now, int lifetimeSeconds) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(baseUrl)
                .subject(family.login)
                .audience(family.clientId)
                .issueTime(new Date(now / 1000 * 1000))
                .expirationTime(new Date((now / 1000 + lifetimeSeconds) * 1000))
                .claim("preferred_username", family.login)
                .claim("email", family.login + "@example.test")
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(signingKey.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign id_token", e);
        }
        return jwt.serialize();
    }

    // ---------------------------------------------------------------- resource and revocation endpoints

    private void userinfo(Context ctx) {
        String token = bearer(ctx.header("Authorization"), false);
        Tokens.Access a = token == null ? null : accessTokens.get(token);
        if (a == null || !a.valid(System.currentTimeMillis())) {
            ctx.header("WWW-Authenticate", token == null ? "Bearer" : "Bearer error=\"invalid_token\"");
            jsonResult(
                    ctx,
                    401,
                    token == null
                            ? Map.of("error", "invalid_request", "error_description", "no bearer token")
                            : Map.of(
                                    "error",
                                    "invalid_token",
                                    "error_description",
                                    "the access token is unknown, expired or revoked"));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", a.family.login);
        body.put("preferred_username", a.family.login);
        body.put("email", a.family.login + "@example.test");
        jsonResult(ctx, 200, body);
    }

    private void oidcRevoke(Context ctx) {
        Map<String, String> p = params(ctx);
        String clientId = clientId(ctx, p);
        if (clientId != null && !clientKnown(clientId)) {
            jsonResult(ctx, 401, Map.of("error", "invalid_client", "error_description", "unknown client_id"));
            return;
        }
        String token = p.get("token");
        if (token == null) {
            jsonResult(ctx, 400, Map.of("error", "invalid_request", "error_description", "token is required"));
            return;
        }
        Tokens.Access a = accessTokens.get(token);
        if (a != null && (clientId == null || clientId.equals(a.family.clientId))) a.revoked = true;
        Tokens.Refresh r = refreshTokens.get(token);
        if (r != null && (clientId == null || clientId.equals(r.family.clientId))) revokeFamily(r.family);
        jsonResult(ctx, 200, Map.of()); // RFC 7009: 200 also for unknown tokens
    }

    private void githubUser(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth == null || auth.isBlank()) {
            jsonResult(
                    ctx,
                    401,
                    Map.of("message", "Requires authentication", "documentation_url", "https://docs.github.com/rest"));
            return;
        }
        String token = bearer(auth, true);
        Tokens.Access a = token == null ? null : accessTokens.get(token);
        if (a == null || !a.valid(System.currentTimeMillis())) {
            jsonResult(
                    ctx,
                    401,
                    Map.of("message", "Bad credentials", "documentation_url", "https://docs.github.com/rest"));
            return;
        }
        String login = a.family.login;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("login", login);
        body.put("id", githubId(login));
        body.put("name", login);
        body.put("type", "User");
        ctx.header("X-OAuth-Scopes", String.join(", ", scopes(a.family.scope)));
        ctx.header("X-Accepted-OAuth-Scopes", "");
        jsonResult(ctx, 200, body);
    }

    private void githubRevoke(Context ctx, boolean wholeGrant) {
        String auth = ctx.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            jsonResult(
                    ctx,
                    401,
                    Map.of("message", "Requires authentication", "documentation_url", "https://docs.github.com/rest"));
            return;
        }
        String clientId = ctx.pathParam("client_id");
        String token = null;
        try {
            JsonNode body = MAPPER.readTree(ctx.bodyAsBytes());
            if (body != null && body.isObject()) {
                JsonNode t = body.get("access_token");
                if (t != null && t.isValueNode()) token = t.asString();
            }
        } catch (JacksonException e) {
            jsonResult(ctx, 400, Map.of("message", "Problems parsing JSON"));
            return;
        }
        Tokens.Access a = token == null ? null : accessTokens.get(token);
        if (a == null || !a.family.clientId.equals(clientId)) {
            jsonResult(ctx, 404, Map.of("message", "Not Found", "documentation_url", "https://docs.github.com/rest"));
            return;
        }
        if (wholeGrant) {
            // Deleting an app authorization revokes every token the user granted this app.
            for (Tokens.Family f : families.values()) {
                if (f.clientId.equals(clientId) && f.login.equals(a.family.login)) revokeFamily(f);
            }
        } else {
            a.revoked = true;
        }
        ctx.status(204);
    }

    private boolean revokeFamily(Tokens.Family f) {
        if (!f.revoke()) return false;
        familiesRevoked.incrementAndGet();
        log.debug("token family {} of {} revoked", f.id, f.login);
        return true;
    }

    // ---------------------------------------------------------------- device page and control endpoints

    private void devicePage(Context ctx) {
        String code = ctx.queryParam("user_code");
        String shown = code == null ? "" : html(code);
        String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Device activation</title></head><body>"
                + "<h1>Device activation (" + flavor.name().toLowerCase(Locale.ROOT) + " simulator)</h1>"
                + "<p>Enter your code</p>"
                + "<form method=\"post\" action=\"/sim/approve\">"
                + "<label>Code <input name=\"user_code\" value=\"" + shown + "\" autocomplete=\"off\"></label> "
                + "<label>Login <input name=\"login\" value=\"" + DEFAULT_LOGIN + "\"></label> "
                + "<button type=\"submit\">Approve</button></form>"
                + (code == null ? "" : "<p>Code: <code>" + shown + "</code></p>")
                + "</body></html>";
        ctx.status(200).contentType("text/html; charset=utf-8").result(page);
    }

    private void simApprove(Context ctx) {
        Map<String, String> p = params(ctx);
        String userCode = p.get("user_code");
        if (userCode == null) {
            jsonResult(ctx, 400, Map.of("error", "invalid_request", "error_description", "user_code is required"));
            return;
        }
        try {
            approve(userCode, p.get("login"));
            jsonResult(ctx, 200, Map.of("approved", grantByUserCode(userCode).userCode));
        } catch (NoSuchElementException e) {
            jsonResult(ctx, 404, Map.of("error", "unknown_user_code"));
        } catch (IllegalStateException e) {
            jsonResult(ctx, 409, Map.of("error", "not_pending", "error_description", e.getMessage()));
        }
    }

    private void simDeny(Context ctx) {
        Map<String, String> p = params(ctx);
        String userCode = p.get("user_code");
        if (userCode == null) {
            jsonResult(ctx, 400, Map.of("error", "invalid_request", "error_description", "user_code is required"));
            return;
        }
        try {
            deny(userCode);
            jsonResult(ctx, 200, Map.of("denied", grantByUserCode(userCode).userCode));
        } catch (NoSuchElementException e) {
            jsonResult(ctx, 404, Map.of("error", "unknown_user_code"));
        } catch (IllegalStateException e) {
            jsonResult(ctx, 409, Map.of("error", "not_pending", "error_description", e.getMessage()));
        }
    }

    private void simPolls(Context ctx) {
        long since = Long.MIN_VALUE;
        String s = ctx.queryParam("since");
        if (s != null) {
            try {
                since = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                jsonResult(
                        ctx,
                        400,
                        Map.of("error", "invalid_request", "error_description", "since must be epoch milliseconds"));
                return;
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (PollEntry entry : polls) {
            Poll poll = entry.toPoll();
            if (poll.atEpochMillis() < since) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", poll.atEpochMillis());
            m.put("grant_type", poll.grantType());
            m.put("user_code", poll.userCode());
            m.put("status", poll.httpStatus());
            m.put("error", poll.error());
            out.add(m);
        }
        jsonResult(ctx, 200, Map.of("polls", out));
    }

    private void simSetFaults(Context ctx) {
        JsonNode body;
        try {
            byte[] raw = ctx.bodyAsBytes();
            body = raw.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(raw);
        } catch (JacksonException e) {
            jsonResult(ctx, 400, Map.of("error", "invalid_json", "error_description", "body must be a JSON object"));
            return;
        }
        if (body == null || !body.isObject()) {
            jsonResult(ctx, 400, Map.of("error", "invalid_json", "error_description", "body must be a JSON object"));
            return;
        }
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!FAULT_FIELDS.contains(e.getKey())) {
                jsonResult(
                        ctx,
                        400,
                        Map.of(
                                "error",
                                "unknown_field",
                                "field",
                                e.getKey(),
                                "error_description",
                                "known fields: "
                                        + String.join(
                                                ", ",
                                                FAULT_FIELDS.stream().sorted().toList())));
                return;
            }
        }
        Faults current = faults();
        try {
            long latency = longField(body, "latency_ms", current.latencyMs(), 0, MAX_LATENCY_MS);
            double errorRate = rateField(body, "error_rate", current.errorRate());
            int slowDowns = (int) longField(body, "force_slow_down", current.forceSlowDown(), 0, 1_000_000);
            double garbageRate = rateField(body, "garbage_rate", current.garbageRate());
            double resetRate = rateField(body, "reset_rate", current.resetRate());
            int codeLife = (int) longField(body, "code_lifetime_seconds", codeLifetimeSeconds, 1, 86_400 * 366L);
            int tokenLife = (int) longField(body, "token_lifetime_seconds", tokenLifetimeSeconds, 0, 86_400 * 366L);
            int interval = (int) longField(body, "interval_seconds", intervalSeconds, 0, 3600);
            Faults next = new Faults(latency, errorRate, slowDowns, garbageRate, resetRate);
            faults = next;
            if (body.has("force_slow_down")) slowDownsLeft.set(slowDowns);
            codeLifetimeSeconds = codeLife;
            tokenLifetimeSeconds = tokenLife;
            intervalSeconds = interval;
        } catch (IllegalArgumentException e) {
            jsonResult(ctx, 400, Map.of("error", "invalid_value", "error_description", e.getMessage()));
            return;
        }
        jsonResult(ctx, 200, faultsDocument());
    }

    private Map<String, Object> faultsDocument() {
        Faults f = faults();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latency_ms", f.latencyMs());
        m.put("error_rate", f.errorRate());
        m.put("force_slow_down", f.forceSlowDown());
        m.put("garbage_rate", f.garbageRate());
        m.put("reset_rate", f.resetRate());
        m.put("code_lifetime_seconds", codeLifetimeSeconds);
        m.put("token_lifetime_seconds", tokenLifetimeSeconds);
        m.put("interval_seconds", intervalSeconds);
        return m;
    }

    private Map<String, Object> grantsDocument() {
        GrantCounts c = grantCounts();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device_codes_issued", c.deviceCodesIssued());
        m.put("device_tokens_issued", c.deviceTokensIssued());
        m.put("refresh_grants_succeeded", c.refreshGrantsSucceeded());
        m.put("refresh_grants_rejected", c.refreshGrantsRejected());
        m.put("families_revoked", c.familiesRevoked());
        return m;
    }

    private static long longField(JsonNode body, String name, long fallback, long min, long max) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber() || !n.canConvertToExactIntegral() && !n.isIntegralNumber()) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
        long v = n.asLong();
        if (v < min || v > max) throw new IllegalArgumentException(name + " must be within [" + min + ", " + max + "]");
        return v;
    }

    private static double rateField(JsonNode body, String name, double fallback) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber()) throw new IllegalArgumentException(name + " must be a number");
        double v = n.asDouble();
        if (!(v >= 0.0 && v <= 1.0)) throw new IllegalArgumentException(name + " must be within [0, 1]");
        return v;
    }

    // ---------------------------------------------------------------- faults

    /** Where a token-endpoint request is logged; null for the device authorization endpoints. */
    private record PollContext(long at, String grantType, String userCode) {}

    /**
     * Applies the configured latency, then at most one random fault, logging it in the poll list first when
     * {@code poll} is given. True when a fault answered (or dropped) the request.
     */
    private boolean injectFaults(Context ctx, PollContext poll) {
        Faults f = faults;
        if (f.latencyMs() > 0) {
            try {
                Thread.sleep(Math.min(f.latencyMs(), MAX_LATENCY_MS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (f.resetRate() > 0 && random.nextDouble() < f.resetRate()) {
            if (poll != null) record(poll.at(), poll.grantType(), poll.userCode(), 0, "reset");
            resetConnection(ctx);
            return true;
        }
        Reply r = null;
        if (f.errorRate() > 0 && random.nextDouble() < f.errorRate()) {
            int status = SERVER_ERROR_STATUSES[random.nextInt(SERVER_ERROR_STATUSES.length)];
            r = switch (status) {
                case 500 ->
                    new Reply(
                            500,
                            JSON_UTF8,
                            bytes(Map.of("error", "server_error", "error_description", "simulated internal error")),
                            "server_error",
                            Map.of());
                case 502 ->
                    new Reply(
                            502,
                            "text/html; charset=utf-8",
                            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
                                    .getBytes(StandardCharsets.UTF_8),
                            "server_error",
                            Map.of());
                default ->
                    new Reply(
                            503,
                            "text/html; charset=utf-8",
                            "<html><head><title>503 Service Unavailable</title></head><body><h1>503 Service Unavailable</h1></body></html>"
                                    .getBytes(StandardCharsets.UTF_8),
                            "server_error",
                            Map.of("Retry-After", "1"));
            };
        } else if (f.garbageRate() > 0 && random.nextDouble() < f.garbageRate()) {
            r = new Reply(
                    200,
                    "text/html; charset=utf-8",
                    "<html><body>upstream hiccup: this is not JSON".getBytes(StandardCharsets.UTF_8),
                    "garbage",
                    Map.of());
        }
        if (r == null) return false;
        PollEntry entry =
                poll == null ? null : record(poll.at(), poll.grantType(), poll.userCode(), r.status(), r.error());
        if (!send(ctx, r) && entry != null) entry.error = "timeout";
        return true;
    }

    /** Closes the TCP connection at once (RST where the platform allows) without writing any HTTP response. */
    private static void resetConnection(Context ctx) {
        try {
            ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
            EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            if (endPoint instanceof SocketChannelEndPoint socket) {
                try {
                    socket.getChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
                } catch (IOException | RuntimeException ignored) {
                    // a plain close (FIN) is still a connection closed without a response
                }
            }
            endPoint.close();
        } catch (RuntimeException e) {
            log.debug("connection reset fault could not reach the socket", e);
        }
    }

    /** A poll log entry; {@code error} turns to "timeout" when the answer could not be written. */
    private static final class PollEntry {
        final long at;
        final String grantType;
        final String userCode;
        final int status;
        volatile String error;

        PollEntry(long at, String grantType, String userCode, int status, String error) {
            this.at = at;
            this.grantType = grantType;
            this.userCode = userCode;
            this.status = status;
            this.error = error;
        }

        Poll toPoll() {
            return new Poll(at, grantType, userCode, status, error);
        }
    }

    private PollEntry record(long at, String grantType, String userCode, int status, String error) {
        PollEntry entry = new PollEntry(at, grantType, userCode, status, error);
        polls.add(entry);
        // Bounded: each extra element removes at most one, so this loop ends.
        for (int i = 0; i < 4 && pollCount.incrementAndGet() > MAX_POLLS; i++) {
            if (polls.poll() == null) break;
            pollCount.decrementAndGet();
        }
        return entry;
    }

    // ---------------------------------------------------------------- helpers

    private record Reply(int status, String contentType, byte[] body, String error, Map<String, String> headers) {}

    /** An OAuth error; GitHub's token endpoint answers them with HTTP 200. */
    private Reply oauthError(Context ctx, boolean tokenEndpoint, String code, String description, int interval) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        int status;
        if (flavor == Flavor.GITHUB) {
            body.put("error_uri", GITHUB_ERROR_URI);
            if (interval >= 0) body.put("interval", interval);
            status = tokenEndpoint ? 200 : code.equals("invalid_client") ? 401 : 400;
        } else {
            status = code.equals("invalid_client") ? 401 : 400;
        }
        return shaped(ctx, status, body, code);
    }

    /** JSON, or for GitHub without {@code Accept: application/json} form-encoded, like GitHub answers. */
    private Reply shaped(Context ctx, int status, Map<String, Object> body, String error) {
        Map<String, String> headers = error == null && !body.containsKey("device_code")
                ? Map.of("Cache-Control", "no-store", "Pragma", "no-cache")
                : Map.of("Cache-Control", "no-store");
        if (flavor == Flavor.GITHUB && !acceptsJson(ctx)) {
            StringBuilder b = new StringBuilder();
            for (Map.Entry<String, Object> e : body.entrySet()) {
                if (!b.isEmpty()) b.append('&');
                b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
            }
            return new Reply(status, FORM_UTF8, b.toString().getBytes(StandardCharsets.UTF_8), error, headers);
        }
        return new Reply(status, JSON_UTF8, bytes(body), error, headers);
    }

    private static boolean acceptsJson(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/json");
    }

    /** Writes the reply now; false when the client was gone (its connection failed while writing). */
    private static boolean send(Context ctx, Reply r) {
        HttpServletResponse res = ctx.res();
        res.setStatus(r.status());
        res.setContentType(r.contentType());
        r.headers().forEach(res::setHeader);
        res.setContentLength(r.body().length);
        try {
            var out = res.getOutputStream();
            out.write(r.body());
            out.flush();
            return true;
        } catch (IOException e) {
            log.debug("client went away before the response was written: {}", e.toString());
            return false;
        }
    }

    private void jsonResult(Context ctx, int status, Object body) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status).contentType(JSON_UTF8).result(bytes(body));
    }

    private static byte[] bytes(Object body) {
        return MAPPER.writeValueAsBytes(body);
    }

    /** Query parameters, overridden by a form or JSON body (GitHub accepts all three). */
    private static Map<String, String> params(Context ctx) {
        Map<String, String> out = new HashMap<>();
        String query = ctx.req().getQueryString();
        if (query != null) parseForm(query, out);
        String contentType = ctx.contentType();
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (ct.startsWith("application/json")) {
            try {
                JsonNode n = MAPPER.readTree(ctx.bodyAsBytes());
                if (n != null && n.isObject()) {
                    for (Map.Entry<String, JsonNode> e : n.properties()) {
                        if (e.getValue().isValueNode() && !e.getValue().isNull())
                            out.put(e.getKey(), e.getValue().asString());
                    }
                }
            } catch (JacksonException ignored) {
                // treated as no parameters: the grant logic answers invalid_request-like errors
            }
        } else if (ct.startsWith("application/x-www-form-urlencoded")) {
            parseForm(new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8), out);
        }
        return out;
    }

    private static void parseForm(String s, Map<String, String> out) {
        int start = 0;
        int n = s.length();
        while (start <= n) { // each pass moves start past one '&': bounded by the string length
            int amp = s.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            if (end > start) {
                int eq = s.indexOf('=', start);
                String key;
                String value;
                if (eq < 0 || eq > end) {
                    key = s.substring(start, end);
                    value = "";
                } else {
                    key = s.substring(start, eq);
                    value = s.substring(eq + 1, end);
                }
                try {
                    out.put(
                            URLDecoder.decode(key, StandardCharsets.UTF_8),
                            URLDecoder.decode(value, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException ignored) {
                    // malformed escape: skip the pair
                }
            }
            if (amp < 0) break;
            start = amp + 1;
        }
    }

    /** client_id from the parameters, else the user name of HTTP Basic client authentication. */
    private static String clientId(Context ctx, Map<String, String> p) {
        String id = p.get("client_id");
        if (id != null) return id;
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded =
                        new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String user = colon < 0 ? decoded : decoded.substring(0, colon);
                return URLDecoder.decode(user, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private boolean clientKnown(String clientId) {
        return clientId != null
                && !clientId.isBlank()
                && clientId.length() <= 256
                && (allowedClients.isEmpty() || allowedClients.contains(clientId));
    }

    private static String bearer(String header, boolean allowTokenScheme) {
        if (header == null) return null;
        String h = header.strip();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) return h.substring(7).strip();
        if (allowTokenScheme && h.regionMatches(true, 0, "token ", 0, 6))
            return h.substring(6).strip();
        return null;
    }

    private static String canonicalGrantType(String raw) {
        if (raw == null) return null;
        if (DEVICE_GRANT.equals(raw)) return DEVICE_GRANT;
        if (REFRESH_GRANT.equals(raw)) return REFRESH_GRANT;
        return raw.length() > 200 ? raw.substring(0, 200) : raw;
    }

    private static List<String> scopes(String scope) {
        if (scope == null || scope.isBlank()) return List.of();
        List<String> out = new ArrayList<>();
        for (String s : scope.strip().split("[\\s,]+")) {
            if (!s.isEmpty() && !out.contains(s)) out.add(s);
        }
        return out;
    }

    private static long githubId(String login) {
        return Math.floorMod(login.hashCode(), 90_000_000L) + 1_000_000L;
    }

    private DeviceGrant grantByUserCode(String userCode) {
        DeviceGrant g = byUserCode.get(Ids.normalizeUserCode(userCode));
        if (g == null) throw new NoSuchElementException("unknown user code: " + userCode);
        return g;
    }

    private static void requireOpen(DeviceGrant g) {
        if (g.state == DeviceGrant.State.CONSUMED)
            throw new IllegalStateException("user code " + g.userCode + " was already redeemed");
        if (g.state == DeviceGrant.State.DENIED)
            throw new IllegalStateException("user code " + g.userCode + " was denied");
        if (System.currentTimeMillis() >= g.expiresAtMillis)
            throw new IllegalStateException("user code " + g.userCode + " has expired");
    }

    private static String html(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
