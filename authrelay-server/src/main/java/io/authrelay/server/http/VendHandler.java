package io.authrelay.server.http;

import io.authrelay.core.workspace.Vend;
import io.authrelay.core.workspace.VendService;
import io.authrelay.core.workspace.Workspace;
import io.authrelay.core.workspace.WorkspaceService;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code POST /v1/vend} in front of Javalin: about half of a vend's CPU was Jetty's servlet layer and Javalin's
 * dispatch (JFR), which a vend served here skips. It takes only what the API would serve as a vend: a valid workspace
 * token, a body of declared length within {@link RequestBodies#MAX_BYTES}, and over TCP none of a browser's marks
 * ({@link BrowserGuard}). Everything else goes on to Javalin, which answers it as before, every refusal of the caller
 * included (the wrong-token limiter, audited refusals, 401, 403, 413), and {@link VendRoutes} serves a vend whose body
 * has no declared length. A vend served here is the route's: the same parsing and answer ({@link VendWire}), the same
 * {@link VendService} call (grant check, and the answer waits for its audit row's commit), error shape
 * ({@link ApiError}), security headers and request timer ({@link RequestTimers}). A workspace token passes the route's
 * {@link Access#WORKSPACE} by itself, so there is no authorization step to repeat.
 */
public final class VendHandler extends Handler.Wrapper {
    private static final String PATH = "/v1/vend";

    private final WorkspaceService workspaces;
    private final VendService vending;
    private final BrowserGuard browsers;
    private final RequestTimers timers;

    public VendHandler(WorkspaceService workspaces, VendService vending, BrowserGuard browsers, MeterRegistry metrics) {
        this.workspaces = workspaces;
        this.vending = vending;
        this.browsers = browsers;
        this.timers = new RequestTimers(metrics);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Workspace workspace = vendingWorkspace(request);
        if (workspace == null) return super.handle(request, response, callback);
        int status = vend(workspace, request, response, callback);
        timers.record(PATH, "POST", status, System.nanoTime() - request.getBeginNanoTime());
        return true;
    }

    /** The workspace a vend served here is for; null when Javalin is to answer the request. */
    private Workspace vendingWorkspace(Request request) {
        if (!HttpMethod.POST.is(request.getMethod())
                || !PATH.equals(request.getHttpURI().getPath())) return null;
        long declared = request.getLength();
        if (declared < 0 || declared > RequestBodies.MAX_BYTES) return null;
        String token = Authenticator.bearerToken(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (token == null || !token.startsWith(WorkspaceService.TOKEN_PREFIX)) return null;
        try {
            if (!HomeSocketListener.carried(request)) browsers.check(request);
            return workspaces.authenticate(token) instanceof WorkspaceService.Authentication.Valid valid
                    ? valid.workspace()
                    : null;
        } catch (RuntimeException refusedOrFailed) {
            // Javalin meets the same refusal or failure and answers it the API's way (neither check has side effects)
            return null;
        }
    }

    /** @return the answer's status */
    private int vend(Workspace workspace, Request request, Response response, Callback callback) {
        HttpFields in = request.getHeaders();
        HttpFields.Mutable out = response.getHeaders();
        SecurityHeaders.apply(out);
        VendWire.Answer answer;
        int status;
        try {
            byte[] body = RequestBodies.readCapped(request.getLength(), Content.Source.asInputStream(request));
            Vend vend = vending.vend(
                    workspace, VendWire.request(in.get(HttpHeader.CONTENT_TYPE), body), Authenticator.address(request));
            answer = VendWire.answer(vend, in.get(HttpHeader.ACCEPT));
            out.put(HttpHeader.CACHE_CONTROL, "no-store");
            status = 200;
        } catch (Exception e) {
            ApiError error = ApiError.of(e, "POST", PATH);
            answer = new VendWire.Answer("application/json", Json.MAPPER.writeValueAsBytes(error.body()));
            status = error.status();
        }
        response.setStatus(status);
        out.put(HttpHeader.CONTENT_TYPE, answer.contentType());
        out.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
        return status;
    }
}
