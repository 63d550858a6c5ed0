package io.authrelay.client;

/**
 * One-line errors for stderr: what happened, then what to do. Every text from the broker passes through
 * {@link #clean} (one line, bounded, token shapes masked) before it is shown.
 */
public final class ErrorMessages {
    public static final String PREFIX = "authrelay: ";
    private static final int MAX_SERVER_TEXT = 200;

    private ErrorMessages() {}

    public static String noToken() {
        return PREFIX + "no workspace token: set AUTHRELAY_TOKEN or write token= in ~/.config/authrelay/client.conf";
    }

    public static String config(BrokerConfigException e) {
        return PREFIX + clean(e.getMessage());
    }

    /** @param cause the last failure, which can say the URL's scheme is wrong; may be null */
    public static String unreachable(BrokerEndpoint endpoint, boolean timedOut, long timeoutMillis, Throwable cause) {
        if (endpoint instanceof BrokerEndpoint.Url url && cause != null) {
            String wrongScheme = wrongScheme(url.url(), cause);
            if (wrongScheme != null) return PREFIX + wrongScheme;
        }
        return unreachable(endpoint, timedOut, timeoutMillis);
    }

    /** An https URL at a plain-http daemon fails in the TLS handshake; an http URL at a TLS daemon gets no HTTP. */
    private static String wrongScheme(java.net.URI url, Throwable cause) {
        String plain = url.toString().replaceFirst("^https:", "http:");
        String secure = url.toString().replaceFirst("^http:", "https:");
        if ("https".equalsIgnoreCase(url.getScheme()) && cause instanceof javax.net.ssl.SSLException) {
            return "the broker at " + url + " does not speak TLS: if the daemon listens on plain http, use " + plain;
        }
        if ("http".equalsIgnoreCase(url.getScheme())
                && cause instanceof java.net.ProtocolException
                && String.valueOf(cause.getMessage()).contains("not an HTTP response")) {
            return "the broker at " + url + " did not answer in HTTP: if the daemon serves TLS, use " + secure;
        }
        return null;
    }

    public static String unreachable(BrokerEndpoint endpoint, boolean timedOut, long timeoutMillis) {
        if (endpoint instanceof BrokerEndpoint.HomeSocket socket) {
            return PREFIX + "no authrelay daemon serves " + socket.home().dir()
                    + (timedOut ? " (no answer within " + seconds(timeoutMillis) + ")" : "")
                    + ": start it with authrelay server";
        }
        if (timedOut) {
            return PREFIX + "broker at " + endpoint.describe() + " did not answer within " + seconds(timeoutMillis)
                    + ": is the daemon running?";
        }
        return PREFIX + "broker unreachable at " + endpoint.describe() + ": is the daemon running?";
    }

    /** Something answered that does not speak authrelay's API. */
    public static String notAuthrelay(BrokerEndpoint endpoint, String what) {
        return PREFIX + "unexpected answer from the broker at " + endpoint.describe() + " (" + what
                + "): check that AUTHRELAY_URL points at authrelay";
    }

    /**
     * @param subject  what was asked for, e.g. "github.com/org/repo" or "provider github"
     * @param provider the provider name when the request named one, else null
     */
    public static String forError(BrokerError error, String subject, String provider) {
        String code = error.code() == null ? "" : error.code();
        String what = subject == null || subject.isEmpty() ? "this request" : subject;
        return switch (code) {
            case "missing_token" -> noToken();
            case "invalid_token" ->
                PREFIX
                        + "workspace token not accepted by the broker: check AUTHRELAY_TOKEN or ask an admin for a new one";
            case "workspace_revoked" -> PREFIX + "workspace token revoked: ask an admin for a new one";
            case "workspace_expired" -> PREFIX + "workspace token expired: ask an admin for a new one";
            case "not_granted" -> PREFIX + "this workspace is not granted " + what + ": ask an admin to add a grant";
            case "forbidden" -> PREFIX + "forbidden" + detail(error) + ": ask an admin";
            case "needs_reauth" -> needsReauth(error, provider);
            case "credential_not_found" -> notConnected(error, provider);
            case "unknown_host" ->
                provider != null
                        ? PREFIX + "the broker has no provider named " + clean(provider)
                                + ": check the name with an admin"
                        : PREFIX + "the broker serves no provider for " + what;
            case "provider_unavailable" -> PREFIX + "provider unavailable" + detail(error) + ": try again later";
            // The broker's own sentence says what was refused and why; its hint says what an admin can change.
            case "exec_not_granted", "insecure_protocol", "invalid_host", "invalid_path", "invalid_protocol" ->
                PREFIX + clean(error.message()) + withHint(error);
            case "too_many_auth_failures" ->
                PREFIX + "too many failed authentications from here" + retryIn(error.retryAfter())
                        + ": check AUTHRELAY_TOKEN";
            default -> byStatus(error, what);
        };
    }

    private static String byStatus(BrokerError error, String what) {
        int status = error.status();
        String code = error.code() == null ? "" : " (" + clean(error.code()) + ")";
        if (status == 401)
            return PREFIX + "workspace token not accepted" + code
                    + ": check AUTHRELAY_TOKEN or ask an admin for a new one";
        if (status == 403)
            return PREFIX + "this workspace may not use " + what + code + ": ask an admin to add a grant";
        if (status == 400)
            return PREFIX + "the broker rejected the request" + code + detail(error)
                    + ": this is a client bug, please report it";
        if (status == 429)
            return PREFIX + "the broker is rate limiting this workspace" + retryIn(error.retryAfter())
                    + ": try again later";
        if (status == 502 || status == 503 || status == 504) {
            return PREFIX + "broker temporarily unavailable (HTTP " + status + ")" + detail(error)
                    + ": try again later";
        }
        if (status >= 500)
            return PREFIX + "broker failed (HTTP " + status + ")" + code + detail(error) + ": check the broker's log";
        return PREFIX + "unexpected answer from the broker (HTTP " + status + ")" + code + detail(error)
                + withHint(error);
    }

    /** Said to a workspace, which cannot log in itself: the person to ask is an admin. */
    private static String needsReauth(BrokerError error, String provider) {
        String name = providerName(error, provider);
        if (name != null) return PREFIX + name + " needs a new login: ask an admin to run authrelay login " + name;
        return PREFIX + "the provider needs a new login" + detail(error) + ": ask an admin";
    }

    private static String notConnected(BrokerError error, String provider) {
        String name = providerName(error, provider);
        if (name != null)
            return PREFIX + name + " is not connected yet: ask an admin to connect it (authrelay login " + name + ")";
        return PREFIX + "the provider is not connected yet" + detail(error) + ": ask an admin to connect it";
    }

    /** The provider the request named, else the one the broker's hint names ("... authrelay login NAME ..."). */
    private static String providerName(BrokerError error, String provider) {
        if (provider != null) return clean(provider);
        if (error.hint() == null) return null;
        int at = error.hint().indexOf("authrelay login ");
        if (at < 0) return null;
        String rest = error.hint().substring(at + "authrelay login ".length()).strip();
        int end = 0;
        while (end < rest.length() && !Character.isWhitespace(rest.charAt(end)) && rest.charAt(end) != ')') end++;
        return end == 0 ? null : clean(rest.substring(0, end));
    }

    private static String detail(BrokerError error) {
        return error.message() == null || error.message().isBlank() ? "" : ": " + clean(error.message());
    }

    private static String withHint(BrokerError error) {
        return error.hint() == null || error.hint().isBlank() ? "" : ": " + clean(error.hint());
    }

    private static String retryIn(String retryAfter) {
        long seconds = RetryClassifier.parseRetryAfterSeconds(retryAfter);
        return seconds >= 0 && seconds < 1_000_000 ? " (retry in " + seconds + " s)" : "";
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.valueOf(millis / 1000.0) + " s";
    }

    /** A message without the "authrelay: " that helpers print before it, for callers that print their own. */
    public static String withoutPrefix(String message) {
        return message != null && message.startsWith(PREFIX) ? message.substring(PREFIX.length()) : message;
    }

    /** One line, at most 200 characters, control characters removed and token shapes masked. */
    public static String clean(String text) {
        if (text == null) return "";
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_SERVER_TEXT));
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029') c = ' ';
            if (c == ' ' && out.length() > 0 && out.charAt(out.length() - 1) == ' ') continue;
            out.append(c);
            if (out.length() >= MAX_SERVER_TEXT) {
                out.append("...");
                break;
            }
        }
        return Redactor.redactShapes(out.toString().strip());
    }
}
