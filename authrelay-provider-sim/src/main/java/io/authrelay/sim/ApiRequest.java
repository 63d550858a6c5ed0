package io.authrelay.sim;

import java.util.Map;

/**
 * A request to a vendor stand-in, as the simulator saw it: what a test needs to prove which credential a real CLI
 * sent.
 *
 * @param atEpochMillis    server-side arrival time
 * @param method           GET, POST, ...
 * @param path             the path with its query, as sent
 * @param authorization    the Authorization header, or null
 * @param apiKey           the x-api-key header, or null
 * @param chatgptAccountId the ChatGPT-Account-ID header, or null
 * @param headers          every header, name in lower case → its values joined with ", " (to prove what did not
 *                         arrive: a workspace token, a smuggled credential)
 * @param params           a token endpoint's form or JSON parameters, secret values blanked ("" stays "", others
 *                         read "[redacted]"); empty for other requests
 */
public record ApiRequest(
        long atEpochMillis,
        String method,
        String path,
        String authorization,
        String apiKey,
        String chatgptAccountId,
        Map<String, String> headers,
        Map<String, String> params) {

    public ApiRequest {
        headers = Map.copyOf(headers);
        params = Map.copyOf(params);
    }
}
