package io.authrelay.server.relay;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * Sends {@code /relay/...} to the relay and everything else on to the API. The relay sits beside Javalin rather than
 * inside it: the API's body limits, JSON errors and body draining are made for small JSON requests, not for packs.
 */
public final class RelayRouter extends Handler.Wrapper {
    public static final String PREFIX = "/relay/";
    private final CredentialRelay relay;

    public RelayRouter(CredentialRelay relay) {
        this.relay = relay;
        addBean(relay, true);
    }

    @Override
    public void setServer(Server server) {
        super.setServer(server);
        relay.setServer(server);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path != null && path.startsWith(PREFIX)) return relay.handle(request, response, callback);
        return super.handle(request, response, callback);
    }
}
