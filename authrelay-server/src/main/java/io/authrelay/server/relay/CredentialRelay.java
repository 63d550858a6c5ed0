package io.authrelay.server.relay;

import io.authrelay.core.DomainException;
import io.authrelay.core.net.Printable;
import io.authrelay.core.redaction.SecretRedactor;
import io.authrelay.core.workspace.Vend;
import io.authrelay.core.workspace.VendRequest;
import io.authrelay.core.workspace.VendService;
import io.authrelay.core.workspace.Workspace;
import io.authrelay.core.workspace.WorkspaceService;
import io.authrelay.server.http.ApiException;
import io.authrelay.server.http.ApiServer;
import io.authrelay.server.http.Authenticator;
import io.authrelay.server.http.BrowserGuard;
import io.authrelay.server.http.Json;
import io.authrelay.server.http.RepeatLimiter;
import io.authrelay.server.http.WrongTokens;
import io.authrelay.server.outbound.ProviderNetwork;
import io.authrelay.server.outbound.ProxyEnvironment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The credential relay for git smart HTTP and the AI vendors' APIs: Jetty's reverse {@code ProxyHandler} does the
 * streaming (both ways, with back-pressure, never a whole pack in memory, server-sent events as they come); this class
 * decides what may pass. In order, before any byte goes upstream:
 *
 * <ol>
 *   <li>the path must be a normal-form smart-HTTP path ({@link GitRelayPath}) or API path ({@link ApiRelayPath}), else
 *       400/404;
 *   <li>the workspace token (Basic password or Bearer) must be valid now, else 401 with a Basic challenge so git asks
 *       its credential helper; a wrong token counts against its address exactly as at the API ({@link WrongTokens},
 *       one budget for both), so guessing is slowed, then refused (429);
 *   <li>the workspace must be under its concurrency and rate limits ({@link RelayLimits}), else 429;
 *   <li>{@link VendService#forRelay}: the very grant check a vend makes, on the real host and the normalised path,
 *       and the provider's current access token (refreshed centrally if stale), else 403/404 as a vend answers.
 * </ol>
 *
 * Then the request goes where the provider's configuration says ({@link RelayRoute#upstream}: the provider's own host
 * for git, its driver's API base URL for an AI CLI; never a host the sandbox wrote) with the checked path, only
 * allow-listed headers ({@link RelayHeaders}), then the headers its driver fills from the credential in place of any the
 * sandbox sent ({@link CredentialHeaders}: codex's account), and the provider's credential as that upstream expects it,
 * through the daemon's forward proxy when one is set ({@link UpstreamProxy}: a CONNECT tunnel, as for the OAuth calls).
 * Redirects are not followed; Set-Cookie, auth challenges and
 * Location do not come back. An upstream 401 to a small API call (body kept, up to
 * {@value #REPLAYABLE_BODY} bytes) is answered by one refresh and one retry; any other 401 (a pushed pack, a large or
 * unsized body: streamed, never kept) is passed on and reported as a rejection, so a refreshable credential is
 * refreshed for the next request.
 */
public final class CredentialRelay extends org.eclipse.jetty.proxy.ProxyHandler {
    private static final String ADMISSION = CredentialRelay.class.getName() + ".admission";
    /** The largest API request body kept for a retry after an upstream 401; larger ones are streamed, not retried. */
    static final int REPLAYABLE_BODY = 256 * 1024;

    private static final String UPSTREAM_UNAUTHORIZED = "upstream_unauthorized";

    private final WorkspaceService workspaces;
    private final VendService vending;
    private final RelayLimits limits;
    private final WrongTokens wrongTokens;
    private final RelayRecorder recorder;
    private final RevocationWatch revocations;
    private final BrowserGuard browsers;
    private final SSLContext upstreamTls;
    private final ProxyEnvironment proxies;
    private final ApiUpstreams apiUpstreams;

    public CredentialRelay(
            WorkspaceService workspaces,
            VendService vending,
            RelayLimitOptions limits,
            WrongTokens wrongTokens,
            io.authrelay.core.audit.AuditLog audit,
            java.time.Clock clock,
            io.micrometer.core.instrument.MeterRegistry metrics,
            ProviderNetwork network,
            BrowserGuard browsers,
            ApiUpstreams apiUpstreams) {
        this.browsers = browsers;
        this.apiUpstreams = apiUpstreams;
        this.workspaces = workspaces;
        this.vending = vending;
        this.limits = new RelayLimits(limits, System::nanoTime);
        this.wrongTokens = wrongTokens;
        this.recorder = new RelayRecorder(audit, clock, metrics);
        this.revocations = new RevocationWatch(workspaces);
        this.upstreamTls = network.sslContext();
        this.proxies = network.proxies();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        String address = Authenticator.address(request);
        AtomicLong up = new AtomicLong();
        AtomicLong down = new AtomicLong();
        Admission admission = new Admission();
        Runnable record = () -> {
            admission.release();
            int status = response.getStatus();
            recorder.record(
                    admission.workspace == null ? null : admission.workspace.name(),
                    address,
                    admission.provider,
                    method,
                    rawPath,
                    status,
                    up.get(),
                    down.get(),
                    Duration.ofNanos(System.nanoTime() - started));
            if (status == 401 && admission.request != null) {
                // the upstream refused the broker's token: the vend path's rejection handling refreshes or records it
                vending.reject(admission.workspace, admission.request, address);
            }
        };
        // recorded before the answer completes: afterwards Jetty may recycle the response it reads the status from
        Callback finished = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                record.run();
                super.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                record.run();
                super.failed(failure);
            }
        };
        try {
            // git sends none of a browser's marks; a web page (or a DNS-rebound name) reaching the relay is refused
            HttpFields fields = request.getHeaders();
            browsers.check(
                    fields.get("Sec-Fetch-Site"),
                    fields.get(HttpHeader.ORIGIN),
                    fields.get(HttpHeader.HOST),
                    Request.getLocalPort(request));
            RelayRoute route = route(method, rawPath, request.getHttpURI().getQuery());
            admission.token = RelayCredentials.token(request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION));
            admission.workspace = authenticate(admission.token, address, method + " " + Printable.of(rawPath));
            admission.release = limits.acquire(admission.workspace.name());
            admission.request = route.vendRequest();
            Vend vend = vending.forRelay(admission.workspace, admission.request);
            admission.provider = vend.provider();
            admission.route = route;
            admission.upstream = route.upstream(vend);
            admission.credentialed(vend);
            admission.headers = route.headers();
            admission.address = address;
            admission.replayable = replayable(route, request);
            request.setAttribute(ADMISSION, admission);
        } catch (WrongToken wrong) {
            return answerWrongToken(request, response, finished, wrong.verdict);
        } catch (RelayRefusal refusal) {
            admission.request = null;
            if (refusal.retryAfter() != null) retryAfter(response, refusal.retryAfter());
            return refuse(response, finished, refusal.status(), refusal.code(), refusal.getMessage());
        } catch (ApiException browser) {
            return refuse(response, finished, browser.status(), browser.code(), browser.getMessage());
        } catch (DomainException e) {
            admission.request = null;
            return refuse(response, finished, ApiServer.statusOf(e), e.code(), e.getMessage());
        }
        Request in = counting(request, up);
        Response out = counting(response, down);
        if (!admission.replayable) return super.handle(in, out, finished);
        // read whole first, so that an upstream 401 can be answered by one refresh and one retry with the same body
        Content.Source.asByteBufferAsync(in, REPLAYABLE_BODY).whenComplete((body, failure) -> {
            if (failure != null) {
                refuse(out, finished, 400, "unreadable_body", "the request body could not be read");
                return;
            }
            admission.body = body;
            CredentialRelay.super.handle(in, out, finished);
        });
        return true;
    }

    /** An API call small enough to keep (Content-Length known, no 100-continue dance), so it can be sent twice. */
    private static boolean replayable(RelayRoute route, Request request) {
        long length = request.getLength();
        return route instanceof ApiRelayPath
                && length >= 0
                && length <= REPLAYABLE_BODY
                && !request.getHeaders().contains(HttpHeader.EXPECT);
    }

    /**
     * What the relay learnt about a request: for its audit row, where it goes and with what credential, and what to
     * end once it is over (its concurrency permit, its revocation watch).
     */
    private static final class Admission {
        String token;
        Workspace workspace;
        String provider;
        VendRequest request;
        HttpURI upstream;
        String authorization;
        CredentialHeaders.Filled credentialHeaders;
        RelayHeaders headers;
        RelayRoute route;
        String address;
        boolean replayable;
        /** The request body when it was read whole to be replayable; null when it is streamed. */
        volatile ByteBuffer body;

        volatile boolean retried;
        volatile Runnable release;
        volatile Runnable unwatch;

        /** The granted credential, as this request's route presents it upstream (again after a refresh). */
        void credentialed(Vend vend) {
            authorization = route.authorization(vend);
            credentialHeaders = route.credentialHeaders(vend);
        }

        void release() {
            Runnable r = release;
            release = null;
            if (r != null) r.run();
            unwatch();
        }

        void unwatch() {
            Runnable w = unwatch;
            unwatch = null;
            if (w != null) w.run();
        }
    }

    /** git smart HTTP or an AI vendor's API, by prefix; nothing else is relayed. */
    private RelayRoute route(String method, String rawPath, String rawQuery) {
        if (rawPath != null && rawPath.startsWith(ApiRelayPath.PREFIX))
            return ApiRelayPath.parse(rawPath, rawQuery, apiUpstreams);
        return GitRelayPath.parse(method, rawPath, rawQuery);
    }

    /** @param request method and path, for the audit row of a wrong token */
    private Workspace authenticate(String token, String address, String request) {
        // no token is not a guess (git asks anonymously first), so it costs the address nothing, as at the API
        if (token == null) throw new RelayRefusal(401, "missing_token", "the relay needs the workspace token");
        WorkspaceService.Authentication authentication = token.startsWith(WorkspaceService.TOKEN_PREFIX)
                ? workspaces.authenticate(token)
                : new WorkspaceService.Authentication.Unknown();
        return switch (authentication) {
            case WorkspaceService.Authentication.Valid valid -> valid.workspace();
            case WorkspaceService.Authentication.Revoked r ->
                throw new RelayRefusal(401, "workspace_revoked", "workspace token revoked: ask an admin for a new one");
            case WorkspaceService.Authentication.Expired e ->
                throw new RelayRefusal(401, "workspace_expired", "workspace token expired: ask an admin for a new one");
            // any other token (another kind, another case, a guess) is wrong here, and counted as the API counts it
            case WorkspaceService.Authentication.Unknown u -> throw new WrongToken(wrongTokens.count(address, request));
        };
    }

    /** A token that matched nothing, with what the shared limiter says of its address. */
    private static final class WrongToken extends RuntimeException {
        final RepeatLimiter.Verdict verdict;

        WrongToken(RepeatLimiter.Verdict verdict) {
            super(null, null, false, false);
            this.verdict = verdict;
        }
    }

    /**
     * 429 while the address is refused; else 401, after the limiter's delay when it asks for one. The delay is a timer,
     * not a sleeping thread: a guesser's parallel requests must not hold the relay's threads.
     */
    private static boolean answerWrongToken(
            Request request, Response response, Callback callback, RepeatLimiter.Verdict verdict) {
        if (verdict.refused()) {
            retryAfter(response, verdict.retryAfter());
            return refuse(
                    response,
                    callback,
                    429,
                    "too_many_auth_failures",
                    "too many failed authentication attempts from this address: wait and retry with a valid token");
        }
        Runnable unauthorized = () -> refuse(response, callback, 401, "invalid_token", "the token is not valid");
        if (verdict.delay().isZero()) unauthorized.run();
        else
            request.getComponents()
                    .getScheduler()
                    .schedule(unauthorized, verdict.delay().toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    private static void retryAfter(Response response, Duration wait) {
        // whole seconds, rounded up: a client retrying at once after "0" would only be refused again
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
    }

    private static boolean refuse(Response response, Callback callback, int status, String code, String message) {
        response.setStatus(status);
        // A refused request's body is left unread: said up front, so the client does not send its next request on a
        // connection Jetty closes after this answer (it would see a broken pipe instead of this refusal)
        if (!response.getRequest().consumeAvailable())
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        // a challenge for the workspace token only: an upstream refusal is not the sandbox's credential's fault
        if (status == 401 && !code.equals(UPSTREAM_UNAUTHORIZED))
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"authrelay relay\"");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // the API's error shape, redacted the same way
        Map<String, Object> error = Map.of("code", code, "message", SecretRedactor.redact(message));
        byte[] body = Json.MAPPER.writeValueAsBytes(Map.of("error", error));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private static Admission admission(Request request) {
        return (Admission) request.getAttribute(ADMISSION);
    }

    @Override
    protected HttpURI rewriteHttpURI(Request request) {
        return admission(request).upstream;
    }

    @Override
    protected void copyRequestHeaders(Request request, org.eclipse.jetty.client.Request upstream) {
        Admission admission = admission(request);
        upstream.headers(out -> {
            admission.headers.copyRequest(request.getHeaders(), out);
            // after the copy and in place of any the sandbox sent: the relay's, from the credential, once each
            admission.credentialHeaders.applyTo(out);
            out.put(HttpHeader.AUTHORIZATION, admission.authorization);
        });
    }

    /** Sent while watched: a token revoked mid-stream aborts the upstream exchange, and with it the sandbox's. */
    @Override
    protected void sendProxyToServerRequest(
            Request request, org.eclipse.jetty.client.Request upstream, Response response, Callback callback) {
        Admission admission = admission(request);
        admission.unwatch = revocations.watch(admission.token, upstream::abort);
        super.sendProxyToServerRequest(request, upstream, response, callback);
    }

    @Override
    protected org.eclipse.jetty.client.Request.Content newProxyToServerRequestContent(
            Request request, Response response, org.eclipse.jetty.client.Request upstream) {
        ByteBuffer body = admission(request).body;
        if (body == null) return super.newProxyToServerRequestContent(request, response, upstream);
        return new ByteBufferRequestContent(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body.slice());
    }

    @Override
    protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
            Request request, org.eclipse.jetty.client.Request upstream, Response response, Callback callback) {
        if (!(admission(request).route instanceof ApiRelayPath))
            return super.newServerToProxyResponseListener(request, upstream, response, callback);
        return new RetryingOnUnauthorized(request, upstream, response, callback);
    }

    /**
     * Passes an API answer on, unless the upstream refused the broker's token: then nothing of that answer reaches the
     * sandbox. A kept body is sent once more after a refresh (as for a rejection: at most once a minute) with the then
     * current token; a streamed body, or a second 401, gets the relay's own error saying so.
     */
    private final class RetryingOnUnauthorized extends ProxyResponseListener {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private boolean unauthorized;

        RetryingOnUnauthorized(
                Request request, org.eclipse.jetty.client.Request upstream, Response response, Callback callback) {
            super(request, upstream, response, callback);
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void onBegin(org.eclipse.jetty.client.Response answer) {
            unauthorized = answer.getStatus() == 401;
            if (!unauthorized) super.onBegin(answer);
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response answer) {
            if (!unauthorized) super.onHeaders(answer);
        }

        @Override
        public void onContent(org.eclipse.jetty.client.Response answer, Content.Chunk chunk, Runnable demander) {
            if (unauthorized) demander.run(); // read and dropped: the vendor's answer to a token it refused
            else super.onContent(answer, chunk, demander);
        }

        @Override
        public void onSuccess(org.eclipse.jetty.client.Response answer) {
            if (!unauthorized) super.onSuccess(answer);
        }

        @Override
        public void onComplete(org.eclipse.jetty.client.Result result) {
            // a vendor may answer 401 before it has read a large body, and drop the rest: the request side failed,
            // but the answer is whole
            if (!unauthorized || result.getResponseFailure() != null) {
                super.onComplete(result);
                return;
            }
            Admission admission = admission(request);
            if (admission.body != null && !admission.retried) {
                retry(request, response, callback);
                return;
            }
            String why = admission.retried
                    ? "the provider refused the broker's token again after a refresh: reconnect it (authrelay login)"
                    : "the provider refused the broker's token, and this request's body (streamed, or over "
                            + REPLAYABLE_BODY + " bytes) cannot be sent again: the credential is refreshed, retry";
            refuse(response, callback, 401, UPSTREAM_UNAUTHORIZED, why);
        }
    }

    private void retry(Request request, Response response, Callback callback) {
        Admission admission = admission(request);
        admission.retried = true;
        admission.unwatch();
        try {
            vending.reject(admission.workspace, admission.request, admission.address);
            admission.credentialed(vending.forRelay(admission.workspace, admission.request));
        } catch (DomainException e) {
            refuse(response, callback, ApiServer.statusOf(e), e.code(), e.getMessage());
            return;
        } catch (RelayRefusal refusal) {
            refuse(response, callback, refusal.status(), refusal.code(), refusal.getMessage());
            return;
        }
        org.eclipse.jetty.client.Request again = newProxyToServerRequest(request, admission.upstream);
        copyRequestHeaders(request, again);
        again.body(newProxyToServerRequestContent(request, response, again));
        sendProxyToServerRequest(request, again, response, callback);
    }

    @Override
    protected void doStop() throws Exception {
        revocations.close();
        super.doStop();
    }

    /** No Via or Forwarded: the upstream has no use for the sandbox's or the relay's addresses. */
    @Override
    protected void addProxyHeaders(Request request, org.eclipse.jetty.client.Request upstream) {}

    @Override
    protected HttpField filterServerToProxyResponseField(HttpField field) {
        return RelayHeaders.filterResponse(field);
    }

    @Override
    protected HttpClient newHttpClient() {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(upstreamTls);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        connector.setConnectTimeout(Duration.ofSeconds(10));
        QueuedThreadPool threads = new QueuedThreadPool(64, 2, 60_000);
        threads.setName("relay-client");
        connector.setExecutor(threads);
        return new HttpClient(new HttpClientTransportOverHTTP(connector));
    }

    @Override
    protected void configureHttpClient(HttpClient client) {
        super.configureHttpClient(client);
        client.setFollowRedirects(false); // a redirect is the upstream's answer to the sandbox, never a new request
        client.setIdleTimeout(120_000);
        client.setUserAgentField(null); // the sandbox's User-Agent, when allowed, and nothing of ours
        UpstreamProxy.configure(client, proxies);
    }

    private static Request counting(Request request, AtomicLong bytes) {
        return new Request.Wrapper(request) {
            @Override
            public Content.Chunk read() {
                Content.Chunk chunk = super.read();
                if (chunk != null) bytes.addAndGet(chunk.remaining());
                return chunk;
            }
        };
    }

    private static Response counting(Response response, AtomicLong bytes) {
        return new Response.Wrapper(response.getRequest(), response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback callback) {
                if (content != null) bytes.addAndGet(content.remaining());
                super.write(last, content, callback);
            }
        };
    }
}
