package io.authrelay.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Names typed by users go into URL paths; encoding them keeps "../x" or "a/b" from reaching another endpoint. */
final class PathSegment {
    private PathSegment() {}

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
