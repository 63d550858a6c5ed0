package io.authrelay.client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the broker is and which workspace token to present.
 *
 * <p>{@code AUTHRELAY_URL} and {@code AUTHRELAY_TOKEN} win. When either is missing, the config file fills the
 * gap: {@code $AUTHRELAY_CONFIG}, else {@code $XDG_CONFIG_HOME/authrelay/client.conf}, else
 * {@code ~/.config/authrelay/client.conf}. The file holds {@code url=…} and {@code token=…} lines; blank lines
 * and lines starting with {@code #} are ignored, as are unknown keys. It must not be readable or writable by
 * group or others. The URL defaults to {@value #DEFAULT_URL}. {@code AUTHRELAY_TIMEOUT} (seconds) changes
 * the total deadline of one request, retries included; {@code AUTHRELAY_DEBUG=1} traces each attempt.
 *
 * @param url     broker base URL without a trailing slash
 * @param token   workspace token, or null when none is configured
 * @param file    the config file that was read, or null
 * @param timeoutMillis total deadline per request, retries included
 * @param debug   trace each attempt to stderr
 */
public record ClientConfig(URI url, String token, Path file, long timeoutMillis, boolean debug) {
    public static final String DEFAULT_URL = "http://127.0.0.1:7878";
    public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;
    static final long MAX_CONFIG_BYTES = 64 * 1024;

    public ClientConfig {
        if (url == null) throw new IllegalArgumentException("url is required");
        if (timeoutMillis <= 0) throw new IllegalArgumentException("timeoutMillis must be positive");
    }

    /** For tests and embedding. */
    public static ClientConfig of(String url, String token) {
        return new ClientConfig(URI.create(url), token, null, DEFAULT_TIMEOUT_MILLIS, false);
    }

    public ClientConfig withTimeoutMillis(long millis) {
        return new ClientConfig(url, token, file, millis, debug);
    }

    public ClientConfig withDebug(boolean on) {
        return new ClientConfig(url, token, file, timeoutMillis, on);
    }

    public boolean hasToken() {
        return token != null && !token.isEmpty();
    }

    /** Reads the environment (and, when needed, the config file). */
    public static ClientConfig load(Map<String, String> env) throws ClientConfigException {
        String url = blankToNull(env.get("AUTHRELAY_URL"));
        String token = blankToNull(env.get("AUTHRELAY_TOKEN"));
        Path file = null;
        if (url == null || token == null) {
            Path candidate = configPath(env);
            String[] fromFile = candidate == null ? null : readFile(candidate);
            if (fromFile != null) {
                file = candidate;
                if (url == null) url = fromFile[0];
                if (token == null) token = fromFile[1];
            }
        }
        return new ClientConfig(parseUrl(url == null ? DEFAULT_URL : url), token, file, timeout(env), isDebug(env));
    }

    /** The config file this environment points at (it may not exist), or null when no home is known. */
    public static Path configPath(Map<String, String> env) {
        String explicit = blankToNull(env.get("AUTHRELAY_CONFIG"));
        if (explicit != null) return Path.of(explicit);
        String xdg = blankToNull(env.get("XDG_CONFIG_HOME"));
        if (xdg != null) return Path.of(xdg, "authrelay", "client.conf");
        String home = blankToNull(env.get("HOME"));
        if (home == null) home = blankToNull(System.getProperty("user.home"));
        return home == null ? null : Path.of(home, ".config", "authrelay", "client.conf");
    }

    public static boolean isDebug(Map<String, String> env) {
        String v = env.get("AUTHRELAY_DEBUG");
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    private static long timeout(Map<String, String> env) throws ClientConfigException {
        String v = blankToNull(env.get("AUTHRELAY_TIMEOUT"));
        if (v == null) return DEFAULT_TIMEOUT_MILLIS;
        try {
            double seconds = Double.parseDouble(v);
            if (seconds > 0 && seconds <= 3600) return Math.max(1, Math.round(seconds * 1000));
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ClientConfigException("AUTHRELAY_TIMEOUT must be a number of seconds between 0 and 3600, not '"
                + Redactor.redactShapes(oneLine(v)) + "'");
    }

    /** {url, token} from the file, either may be null; null when the file does not exist. */
    private static String[] readFile(Path file) throws ClientConfigException {
        if (!Files.exists(file)) return null;
        checkPermissions(file);
        List<String> lines;
        try {
            if (Files.size(file) > MAX_CONFIG_BYTES)
                throw new ClientConfigException(file + " is too large for a config file");
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (CharacterCodingException e) {
            throw new ClientConfigException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ClientConfigException(
                    "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        String[] result = new String[2];
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0) throw new ClientConfigException(file + " line " + (i + 1) + ": expected key=value");
            String key = line.substring(0, eq).strip();
            String value = blankToNull(line.substring(eq + 1).strip());
            if (key.equals("url")) result[0] = value;
            else if (key.equals("token")) result[1] = value;
        }
        return result;
    }

    private static void checkPermissions(Path file) throws ClientConfigException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new ClientConfigException(
                    "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        if (perms.contains(PosixFilePermission.GROUP_READ)
                || perms.contains(PosixFilePermission.OTHERS_READ)
                || perms.contains(PosixFilePermission.GROUP_WRITE)
                || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new ClientConfigException(
                    file + " is accessible by other users and holds a token: run chmod 600 " + file);
        }
    }

    static URI parseUrl(String url) throws ClientConfigException {
        String trimmed = url.strip();
        while (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (Exception e) {
            throw new ClientConfigException("broker URL is not a valid URL: " + Redactor.redactShapes(oneLine(url)));
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new ClientConfigException(
                    "broker URL must look like http://HOST:PORT, not " + Redactor.redactShapes(oneLine(url)));
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ClientConfigException("broker URL must not carry credentials, a query or a fragment");
        }
        return uri;
    }

    private static String blankToNull(String s) {
        if (s == null) return null;
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }

    static String oneLine(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "ClientConfig[" + url + ", token=" + (hasToken() ? "set" : "none") + ", file=" + file + "]";
    }
}
