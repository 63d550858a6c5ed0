package io.authrelay.client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon is and which token to present: {@code AUTHRELAY_URL} (default http://127.0.0.1:7878)
 * and {@code AUTHRELAY_TOKEN}, else the admin token in the home when running as the daemon's user.
 */
public record DaemonTarget(URI baseUrl, String token) {
    public static final String DEFAULT_URL = "http://127.0.0.1:7878";

    public static DaemonTarget fromEnvironment(Map<String, String> env) {
        String url = nonBlank(env.get("AUTHRELAY_URL"), DEFAULT_URL);
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AUTHRELAY_URL is not a valid URL");
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("AUTHRELAY_URL must start with http:// or https://");
        }
        String token = env.get("AUTHRELAY_TOKEN");
        if (token == null || token.isBlank()) token = readAdminToken(homeOf(env));
        return new DaemonTarget(base, token == null ? null : token.trim());
    }

    public static Path homeOf(Map<String, String> env) {
        String home = env.get("AUTHRELAY_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".authrelay");
    }

    private static String readAdminToken(Path home) {
        Path file = home.resolve("admin.token");
        try {
            return Files.isReadable(file)
                    ? Files.readString(file, StandardCharsets.UTF_8).trim()
                    : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    @Override
    public String toString() {
        return "DaemonTarget[" + baseUrl + ", token=" + (token == null ? "none" : "set") + "]";
    }
}
