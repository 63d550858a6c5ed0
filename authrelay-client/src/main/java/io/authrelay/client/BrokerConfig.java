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
 * Where the broker is, which token to present, and how long to wait: the one configuration of every client.
 *
 * <p>Two ways to build one:
 * <ul>
 *   <li>{@link #forWorkspace}: a workspace's helpers. {@code AUTHRELAY_URL} and {@code AUTHRELAY_TOKEN} win; the
 *       config file fills what they lack: {@code $AUTHRELAY_CONFIG}, else {@code $XDG_CONFIG_HOME/authrelay/client.conf},
 *       else {@code ~/.config/authrelay/client.conf}, holding {@code url=…} and {@code token=…} lines (blank lines,
 *       {@code #} comments and unknown keys are ignored; the file must be closed to group and others).
 *   <li>{@link #forAdmin}: the CLI and the MCP server. A token given in {@code AUTHRELAY_TOKEN} is sent, as asked, to
 *       {@code AUTHRELAY_URL}. Without one they act as the home's admin: the home's {@code admin.token} goes only
 *       through the socket inside the home, which nobody but its owner can have created, so it never reaches a
 *       listener someone else put on the daemon's port.
 * </ul>
 * The URL defaults to {@value #DEFAULT_URL}; an https broker is verified against {@code AUTHRELAY_CA_FILE} (PEM) when it
 * is set. {@code AUTHRELAY_TIMEOUT} (seconds) changes the total deadline of one
 * request, retries included; {@code AUTHRELAY_DEBUG=1} traces each attempt, secrets masked.
 *
 * @param endpoint      where requests go
 * @param token         the bearer token, or null when none is known
 * @param file          the client config file that was read, or null
 * @param timeoutMillis total deadline per request, retries included
 * @param debug         trace each attempt to stderr
 */
public record BrokerConfig(BrokerEndpoint endpoint, String token, Path file, long timeoutMillis, boolean debug) {
    public static final String DEFAULT_URL = "http://127.0.0.1:7878";
    public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;
    /** Admin requests may wait on a provider (a login start) or on re-encrypting every secret (key rotation). */
    public static final long ADMIN_TIMEOUT_MILLIS = 30_000;

    static final long MAX_CONFIG_BYTES = 64 * 1024;

    public BrokerConfig {
        if (endpoint == null) throw new IllegalArgumentException("endpoint is required");
        if (timeoutMillis <= 0) throw new IllegalArgumentException("timeoutMillis must be positive");
    }

    /** For tests and embedding: a URL and a token. */
    public static BrokerConfig of(String url, String token) {
        return new BrokerConfig(new BrokerEndpoint.Url(URI.create(url)), token, null, DEFAULT_TIMEOUT_MILLIS, false);
    }

    public BrokerConfig withTimeoutMillis(long millis) {
        return new BrokerConfig(endpoint, token, file, millis, debug);
    }

    public BrokerConfig withDebug(boolean on) {
        return new BrokerConfig(endpoint, token, file, timeoutMillis, on);
    }

    public boolean hasToken() {
        return token != null && !token.isEmpty();
    }

    /** True when the token came from the home rather than from the caller. */
    public boolean usesHomeSocket() {
        return endpoint instanceof BrokerEndpoint.HomeSocket;
    }

    /** A workspace's configuration: the environment, and the client config file where it is silent. */
    public static BrokerConfig forWorkspace(Map<String, String> env) throws BrokerConfigException {
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
        return new BrokerConfig(urlEndpoint(env, url), token, file, timeout(env, DEFAULT_TIMEOUT_MILLIS), isDebug(env));
    }

    /**
     * An admin's configuration: an explicit {@code AUTHRELAY_TOKEN} goes to {@code AUTHRELAY_URL}; otherwise the home's
     * admin token goes to the home's socket and nowhere else.
     *
     * @param explicitHome {@code --home}, or null
     */
    public static BrokerConfig forAdmin(Map<String, String> env, Path explicitHome) throws BrokerConfigException {
        String token = blankToNull(env.get("AUTHRELAY_TOKEN"));
        long timeout = timeout(env, ADMIN_TIMEOUT_MILLIS);
        if (token != null) {
            return new BrokerConfig(
                    urlEndpoint(env, blankToNull(env.get("AUTHRELAY_URL"))), token, null, timeout, isDebug(env));
        }
        AuthrelayHome home = AuthrelayHome.resolve(explicitHome, env);
        return new BrokerConfig(
                new BrokerEndpoint.HomeSocket(home), home.readAdminToken(), null, timeout, isDebug(env));
    }

    /** {@code AUTHRELAY_URL} (or the default) without any token: for probes of public endpoints. */
    public static BrokerConfig anonymous(Map<String, String> env) throws BrokerConfigException {
        BrokerEndpoint endpoint = urlEndpoint(env, blankToNull(env.get("AUTHRELAY_URL")));
        return new BrokerConfig(endpoint, null, null, timeout(env, DEFAULT_TIMEOUT_MILLIS), isDebug(env));
    }

    /** The client config file this environment points at (it may not exist), or null when no home is known. */
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

    private static long timeout(Map<String, String> env, long fallback) throws BrokerConfigException {
        String v = blankToNull(env.get("AUTHRELAY_TIMEOUT"));
        if (v == null) return fallback;
        try {
            double seconds = Double.parseDouble(v);
            if (seconds > 0 && seconds <= 3600) return Math.max(1, Math.round(seconds * 1000));
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BrokerConfigException("AUTHRELAY_TIMEOUT must be a number of seconds between 0 and 3600, not '"
                + Redactor.redactShapes(oneLine(v)) + "'");
    }

    /** {url, token} from the file, either may be null; null when the file does not exist. */
    private static String[] readFile(Path file) throws BrokerConfigException {
        if (!Files.exists(file)) return null;
        checkPermissions(file);
        List<String> lines;
        try {
            if (Files.size(file) > MAX_CONFIG_BYTES)
                throw new BrokerConfigException(file + " is too large for a config file");
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (CharacterCodingException e) {
            throw new BrokerConfigException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new BrokerConfigException(
                    "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        String[] result = new String[2];
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0) throw new BrokerConfigException(file + " line " + (i + 1) + ": expected key=value");
            String key = line.substring(0, eq).strip();
            String value = blankToNull(line.substring(eq + 1).strip());
            if (key.equals("url")) result[0] = value;
            else if (key.equals("token")) result[1] = value;
        }
        return result;
    }

    private static void checkPermissions(Path file) throws BrokerConfigException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new BrokerConfigException(
                    "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        if (perms.contains(PosixFilePermission.GROUP_READ)
                || perms.contains(PosixFilePermission.OTHERS_READ)
                || perms.contains(PosixFilePermission.GROUP_WRITE)
                || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new BrokerConfigException(
                    file + " is accessible by other users and holds a token: run chmod 600 " + file);
        }
    }

    /**
     * The broker at {@code url} (null: the default), trusted through {@code AUTHRELAY_CA_FILE} when it is set: then
     * only that file's authorities are, as with curl's --cacert.
     */
    private static BrokerEndpoint.Url urlEndpoint(Map<String, String> env, String url) throws BrokerConfigException {
        String caFile = blankToNull(env.get("AUTHRELAY_CA_FILE"));
        return new BrokerEndpoint.Url(
                parseUrl(url == null ? DEFAULT_URL : url),
                caFile == null ? null : CaBundle.load(Path.of(caFile), "AUTHRELAY_CA_FILE"));
    }

    static URI parseUrl(String url) throws BrokerConfigException {
        String trimmed = url.strip();
        while (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        String shown = Redactor.redactShapes(oneLine(url));
        if (!trimmed.contains("://")) {
            throw new BrokerConfigException("broker URL '" + shown + "' has no scheme: write it as http://" + shown);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (Exception e) {
            throw new BrokerConfigException("broker URL is not a valid URL: " + shown);
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new BrokerConfigException("broker URL must look like http://HOST:PORT, not " + shown);
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new BrokerConfigException("broker URL must not carry credentials, a query or a fragment");
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
        return "BrokerConfig[" + endpoint.describe() + ", token=" + (hasToken() ? "set" : "none") + ", file=" + file
                + "]";
    }
}
