package io.authrelay.server.relay;

import io.authrelay.core.workspace.Vend;
import io.authrelay.core.workspace.VendRequest;
import org.eclipse.jetty.http.HttpURI;

/**
 * One kind of relayed request, as read from its normal-form path: what the grant check is asked, where the request goes
 * once granted, with which credential, and which of its headers may follow. The upstream always comes from the
 * provider's configuration (its host, or its driver's API base URL), never from the request.
 */
interface RelayRoute {
    /** The grant check's question: the same a vend asks. */
    VendRequest vendRequest();

    /** The exact URL to send the request to, from the granted provider's configuration and the checked path. */
    HttpURI upstream(Vend vend);

    /** The Authorization header the upstream expects, with the provider's current token. */
    String authorization(Vend vend);

    /** The request headers that may cross. */
    RelayHeaders headers();

    /** The headers the relay sets itself from the granted credential, after the allowed ones and in their place. */
    CredentialHeaders.Filled credentialHeaders(Vend vend);
}
