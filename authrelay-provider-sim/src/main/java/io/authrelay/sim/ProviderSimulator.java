package io.authrelay.sim;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson3;
import java.util.List;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OAuth 2.0 provider simulator: the device authorization grant (RFC 8628), refresh-token rotation with reuse
 * detection, and fault injection, shaped like the provider its {@link Flavor} imitates.
 *
 * <p>Start it with {@link #start(SimOptions)}; it listens until {@link #close()}. It never prints to stdout; it logs
 * through slf4j (nothing per request above DEBUG).
 *
 * <p>This class only wires the parts together: {@link GrantState} holds what was granted, {@link FaultInjector} and
 * {@link PollLog} the faults and the token requests seen, {@link DeviceFlowEndpoints} serves the device flow,
 * {@link ControlEndpoints} the {@code /sim/*} endpoints, and the flavour everything that differs between providers.
 *
 * <p>Next to its flavour, every simulator stands in for the AI CLI vendors ({@link Vendor}), each under its own path
 * prefix so that nothing collides with a flavour's paths: their token endpoints (refresh in the vendor's body format,
 * rotation and reuse detection, the same fault injection), Codex's device login (issuer {@code BASE/openai}, approved
 * through {@code /sim/approve} like every device grant), and fake model APIs that record the credential each request
 * carried ({@link #apiRequests()}, {@code /sim/api-requests}). {@link VendorStandIns} wires them;
 * {@code /sim/vendor-credentials} mints, lists and revokes vendor credentials.
 *
 * <h2>Adding a flavour</h2>
 *
 * <ol>
 *   <li>Write a subclass of {@link Flavor} in this package. Its {@code addRoutes} maps its own paths: onto
 *       {@link #deviceFlow()} for a device authorization or token endpoint whose grants behave as RFC 8628 and RFC
 *       6749 say, or onto handlers of its own (an API that logs the bearer token it receives, a token endpoint that
 *       takes JSON) that use {@link #grants()}. Its other hooks word the answers: token prefixes and response, error
 *       status and fields, content negotiation, verification URI, 404 body.
 *   <li>Register it: a constant in {@link Flavor} and an entry in its list of registered flavours, so that
 *       {@link Flavor#named} (and {@code authrelay dev provider-sim --flavor}) find it.
 * </ol>
 *
 * This class does not change. Flavour-specific state lives in the flavour's handlers or in a part that every
 * simulator offers, as {@link #idTokens()} does for flavours that sign id_tokens. A flavour that adds a route set to
 * another's calls that flavour's {@code addRoutes} first; the shared endpoints then word their answers with the
 * new flavour's hooks.
 */
public final class ProviderSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProviderSimulator.class);

    private final SimOptions options;
    private final GrantState grants;
    private final PollLog polls = new PollLog();
    private final FaultInjector faults = new FaultInjector(polls);
    private final IdTokenSigner idTokens = new IdTokenSigner();
    private final VendorGrants vendorGrants = new VendorGrants(idTokens);
    private final ApiRequestLog apiRequests = new ApiRequestLog();
    private final DeviceFlowEndpoints deviceFlow;
    private volatile Javalin app;
    private volatile String baseUrl;

    private ProviderSimulator(SimOptions options) {
        this.options = options;
        this.grants = new GrantState(options);
        this.deviceFlow = new DeviceFlowEndpoints(this, grants, faults, polls);
    }

    /** Starts a simulator; it is listening when this returns. */
    public static ProviderSimulator start(SimOptions options) {
        ProviderSimulator sim = new ProviderSimulator(options);
        Flavor flavor = options.flavor();
        sim.app = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.startup.showOldJavalinVersionWarning = false;
                    // Virtual threads: injected latency sleeps must not exhaust a bounded platform-thread pool.
                    config.concurrency.useVirtualThreads = true;
                    config.http.maxRequestSize = 64 * 1024;
                    config.http.defaultContentType = Wire.JSON;
                    config.jsonMapper(new JavalinJackson3(Wire.MAPPER, false));
                    config.jetty.host = options.host();
                    config.jetty.port = options.port();
                    config.jetty.modifyHttpConfiguration(http -> {
                        http.setSendServerVersion(false);
                        http.setSendXPoweredBy(false);
                    });
                    flavor.addRoutes(config.routes, sim);
                    new VendorStandIns(sim.grants, sim.vendorGrants, sim.faults, sim.polls, sim.apiRequests)
                            .addRoutes(config.routes);
                    new ControlEndpoints(sim, sim.grants, sim.faults).addRoutes(config.routes);
                    config.routes.exception(Exception.class, (e, ctx) -> {
                        log.warn("simulator error on {} {}", ctx.method(), ctx.path(), e);
                        Wire.error(ctx, 500, "server_error", "simulator bug: " + e);
                    });
                    config.routes.error(404, ctx -> {
                        if (!Wire.answered(ctx)) Wire.json(ctx, 404, flavor.notFound(ctx));
                    });
                })
                .start();
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        sim.baseUrl = "http://" + host + ":" + sim.app.port();
        log.info("provider simulator ({}) listening on {}", flavor, sim.baseUrl);
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
        return options.flavor();
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
        grants.approve(userCode, login);
    }

    /**
     * Denies a device code: the next poll answers access_denied.
     *
     * @throws NoSuchElementException if no device code has that user code
     * @throws IllegalStateException  if the code was already redeemed or has expired
     */
    public void deny(String userCode) {
        grants.deny(userCode);
    }

    /**
     * The user removes the app's authorization at the provider: every access and refresh token of every grant
     * {@code login} made (any client) is revoked. Returns how many token families were newly revoked.
     */
    public int revokeLogin(String login) {
        return grants.revokeLogin(login);
    }

    /** A snapshot of the token-endpoint requests seen (at most the latest {@value PollLog#MAX_POLLS}). */
    public List<Poll> polls() {
        return polls.snapshot();
    }

    public void setFaults(Faults f) {
        faults.set(f == null ? Faults.none() : f);
    }

    /** The faults in force; {@code forceSlowDown} is the number of forced slow_downs still to come. */
    public Faults faults() {
        return faults.current();
    }

    public GrantCounts grantCounts() {
        return grants.counts();
    }

    /** Lifetime of device codes issued from now on. */
    public void setCodeLifetimeSeconds(int seconds) {
        grants.setCodeLifetimeSeconds(seconds);
    }

    /** Lifetime of access tokens issued from now on; 0 = never expire and no refresh token. */
    public void setTokenLifetimeSeconds(int seconds) {
        grants.setTokenLifetimeSeconds(seconds);
    }

    /** Polling interval handed out with device codes issued from now on (0 = no rate enforcement until a slow_down). */
    public void setIntervalSeconds(int seconds) {
        grants.setIntervalSeconds(seconds);
    }

    public int codeLifetimeSeconds() {
        return grants.codeLifetimeSeconds();
    }

    public int tokenLifetimeSeconds() {
        return grants.tokenLifetimeSeconds();
    }

    public int intervalSeconds() {
        return grants.intervalSeconds();
    }

    /**
     * Restricts the known client ids to these (by default any non-blank client_id is known). An empty call
     * goes back to accepting any client.
     */
    public void allowClients(String... clientIds) {
        grants.allowClients(clientIds);
    }

    /**
     * A credential of {@code vendor} as its CLI's login would have left it, with the vendor's own refresh behaviour
     * ({@code rotating}: a new refresh token with each refresh, reuse revokes the credential).
     *
     * @param expiresInSeconds the access token's lifetime; negative for one already expired
     */
    public MintedCredential mintVendorCredential(Vendor vendor, String login, boolean rotating, int expiresInSeconds) {
        VendorTokens t = vendorGrants.mint(vendor, login, rotating, expiresInSeconds, System.currentTimeMillis());
        Object idToken = t.answer(idTokens).get("id_token");
        return new MintedCredential(
                t.credential().id(),
                vendor,
                t.credential().accountId(),
                t.accessToken(),
                t.refreshToken(),
                idToken == null ? null : idToken.toString(),
                expiresInSeconds);
    }

    /** Refresh grants that succeeded for this credential; -1 for an unknown id. */
    public int vendorRefreshGrants(String credentialId) {
        VendorCredential c = vendorGrants.credential(credentialId);
        return c == null ? -1 : c.refreshGrants();
    }

    /** The refresh token this credential's holder has now (null for an unknown id): the one secret no workspace may see. */
    public String vendorRefreshToken(String credentialId) {
        VendorCredential c = vendorGrants.credential(credentialId);
        return c == null ? null : c.currentRefreshToken();
    }

    /** The id of the vendor credential this access token was issued to (by a mint, a login or a refresh), or null. */
    public String vendorCredentialOf(String accessToken) {
        VendorCredential c = vendorGrants.credentialOfAccessToken(accessToken);
        return c == null ? null : c.id();
    }

    /** The requests the vendor stand-ins received, oldest first (at most the latest {@value ApiRequestLog#MAX_REQUESTS}). */
    public List<ApiRequest> apiRequests() {
        return apiRequests.snapshot();
    }

    /** The access token issued to this credential last (by a mint or a refresh), or null. */
    public String vendorCurrentAccessToken(String credentialId) {
        return vendorGrants.currentAccessToken(credentialId);
    }

    /** How many streamed answers (with an event delay) lost their client before their last event, since the last clear. */
    public int abandonedVendorStreams() {
        return apiRequests.abandonedStreams();
    }

    /** The next {@code n} calls to the fake vendor APIs are answered 401, as a vendor that revoked a token would. */
    public void rejectNextVendorApiCalls(int n) {
        vendorGrants.rejectNextApiCalls(n);
    }

    /**
     * The fake vendor APIs take only each credential's latest access token (a bearer), and the ChatGPT backend only
     * with that credential's account id as its one ChatGPT-Account-ID, until {@link #reset}.
     */
    public void strictVendorApis() {
        vendorGrants.apiTakesOnlyCurrentTokens(true);
    }

    public void clearApiRequests() {
        apiRequests.clear();
    }

    /** Clears faults, the poll log and the API request log, and restores interval and lifetimes to the start options. */
    public void reset() {
        faults.set(Faults.none());
        polls.clear();
        apiRequests.clear();
        vendorGrants.apiTakesOnlyCurrentTokens(false);
        vendorGrants.rejectNextApiCalls(0);
        grants.restoreSettings();
    }

    @Override
    public void close() {
        Javalin a = app;
        if (a != null) {
            a.stop();
            log.info("provider simulator ({}) on {} stopped", options.flavor(), baseUrl);
        }
    }

    // ---------------------------------------------------------------- parts the flavours build on

    /** What this simulator has granted, and the interval and lifetimes new grants get. */
    GrantState grants() {
        return grants;
    }

    /** The device authorization and token endpoints, for a flavour to serve at its own paths. */
    DeviceFlowEndpoints deviceFlow() {
        return deviceFlow;
    }

    /** This simulator's id_token key; made on first use. */
    IdTokenSigner idTokens() {
        return idTokens;
    }
}
