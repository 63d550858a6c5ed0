package io.authrelay.server.pty;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Hands a browser login's final redirect to the CLI that waits for it on loopback. The user's browser cannot reach
 * the broker's loopback, so the user pastes the URL it ended on; this checks that URL against the authorize URL the
 * CLI printed before anything reaches the CLI: the same {@code state} (exactly one, compared in constant time), a
 * loopback host, and the {@code redirect_uri}'s scheme, port and path, byte for byte. Only then is
 * {@code GET path?query} sent to the CLI's port (no redirects followed). A mismatch is refused without a request: a
 * wrong callback makes some CLIs abort their login, and the state check is what ties the paste to this login.
 */
public final class CallbackReplay {
    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What became of a pasted callback. */
    public sealed interface Result {}

    /** Not sent: {@code reason} says why, without repeating the URL (it holds the code). */
    public record Refused(String reason) implements Result {}

    /** Sent to the CLI, which answered {@code status}. */
    public record Replayed(int status) implements Result {}

    /** Checks the pasted URL against the authorize URL, then replays it to the CLI. */
    public Result replay(String authorizeUrl, String pastedUrl) throws InterruptedException {
        Checked checked;
        try {
            checked = check(authorizeUrl, pastedUrl);
        } catch (RefusedException e) {
            return new Refused(e.getMessage());
        }
        HttpRequest request =
                HttpRequest.newBuilder(checked.target()).timeout(TIMEOUT).GET().build();
        // A client per replay, closed after it: replays are rare, and a client kept for them would hold a selector
        // thread and its TLS setup (~300 classes) in every daemon from start-up on.
        try (HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(TIMEOUT)
                .build()) {
            return new Replayed(
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            return new Refused("the CLI's callback server did not answer");
        }
    }

    private record Checked(URI target) {}

    /** The replay target for a pasted URL that passes every check. */
    static Checked check(String authorizeUrl, String pastedUrl) {
        URI authorize = parse(authorizeUrl, "the authorize URL");
        Map<String, List<String>> authorizeParams = params(authorize.getRawQuery());
        String expectedState = single(authorizeParams, "state", "the authorize URL");
        URI redirect = parse(single(authorizeParams, "redirect_uri", "the authorize URL"), "the redirect URI");
        if (!"http".equals(lower(redirect.getScheme())) || !LOOPBACK_NAMES.contains(lower(redirect.getHost()))) {
            throw new RefusedException("this login does not call back to a loopback address");
        }

        URI pasted = parse(pastedUrl.strip(), "the pasted URL");
        if (pasted.getRawUserInfo() != null) throw new RefusedException("the pasted URL carries user info");
        if (pasted.getRawFragment() != null) throw new RefusedException("the pasted URL carries a fragment");
        if (!lower(redirect.getScheme()).equals(lower(pasted.getScheme()))) {
            throw new RefusedException("the pasted URL's scheme is not the callback's");
        }
        if (!LOOPBACK_NAMES.contains(lower(pasted.getHost()))) {
            throw new RefusedException("the pasted URL is not a loopback address");
        }
        if (effectivePort(pasted) != effectivePort(redirect)) {
            throw new RefusedException("the pasted URL's port is not the callback's");
        }
        if (!redirect.getRawPath().equals(pasted.getRawPath())) {
            throw new RefusedException("the pasted URL's path is not the callback's");
        }
        Map<String, List<String>> pastedParams = params(pasted.getRawQuery());
        String state = single(pastedParams, "state", "the pasted URL");
        if (!MessageDigest.isEqual(
                state.getBytes(StandardCharsets.UTF_8), expectedState.getBytes(StandardCharsets.UTF_8))) {
            throw new RefusedException("the pasted URL belongs to another login (state differs)");
        }
        if (single(pastedParams, "code", "the pasted URL").isEmpty()) {
            throw new RefusedException("the pasted URL has an empty code");
        }
        // to the address the CLI listens on: the redirect's own literal, 127.0.0.1 for a name
        String host = redirect.getHost().startsWith("[")
                        || Character.isDigit(redirect.getHost().charAt(0))
                ? redirect.getHost()
                : "127.0.0.1";
        return new Checked(URI.create(
                "http://" + host + ":" + effectivePort(redirect) + pasted.getRawPath() + "?" + pasted.getRawQuery()));
    }

    private static URI parse(String url, String what) {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c == 0x7f) throw new RefusedException(what + " contains spaces or control characters");
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null || uri.getRawPath() == null) {
                throw new RefusedException(what + " is not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new RefusedException(what + " is not a valid URL");
        }
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() != -1) return uri.getPort();
        return "https".equals(lower(uri.getScheme())) ? 443 : 80;
    }

    /** Query parameters with names and values decoded; a parameter that appears twice keeps both values. */
    private static Map<String, List<String>> params(String rawQuery) {
        Map<String, List<String>> params = new java.util.HashMap<>();
        if (rawQuery == null) return params;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RefusedException("a query parameter is not properly encoded");
        }
    }

    private static String single(Map<String, List<String>> params, String name, String where) {
        List<String> values = params.get(name);
        if (values == null) throw new RefusedException(where + " has no " + name);
        if (values.size() != 1) throw new RefusedException(where + " has more than one " + name);
        return values.get(0);
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }

    private static final class RefusedException extends RuntimeException {
        RefusedException(String reason) {
            super(reason, null, false, false);
        }
    }
}
