package io.authrelay.core.net;

import io.authrelay.core.DomainException;
import java.util.Locale;

/**
 * A host as authrelay compares it: an ASCII DNS name (or an IP literal) with an optional port, lower-cased, compared
 * exactly. Unicode is refused outright rather than converted: Java's IDN implements IDNA2003 while curl and git use
 * UTS-46, and the two can disagree about which domain a name is (a dotless {@code ı} that Java would fold onto
 * {@code github.com} sends git's request to a different, registrable punycode domain). A name in its {@code xn--}
 * form is an ordinary ASCII name here.
 *
 * <ul>
 *   <li>One trailing dot is dropped: {@code github.com.} is the same DNS name as {@code github.com}.
 *   <li>A port equal to the scheme's default ({@code https} 443, {@code http} 80) is the same as no port; any other
 *       port is part of the host and must match exactly.
 *   <li>Refused: userinfo ({@code @}), whitespace, control characters, NUL, path or query characters, empty labels,
 *       labels outside {@code [a-z0-9-]} or longer than 63, and names longer than 253.
 * </ul>
 *
 * @param name lower-case DNS name, IPv4 address, or bracketed IPv6 address
 * @param port the explicit port, or -1 when none was given
 */
public record HostName(String name, int port) {
    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    public static HostName parse(String raw) {
        if (raw == null || raw.isEmpty()) throw invalid(raw, "it is empty");
        if (raw.length() > MAX_NAME + 7) throw invalid(raw, "it is too long");
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c > 0x7e) throw invalid(raw, "it is not ASCII (write an internationalised name in its xn-- form)");
            if (c <= 0x20 || c == 0x7f) throw invalid(raw, "it contains whitespace or a control character");
            if (c == '@') throw invalid(raw, "it contains userinfo (@)");
            if ("/\\?#%,;\"'<>`{}|^".indexOf(c) >= 0) throw invalid(raw, "it contains '" + c + "'");
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        return lower.startsWith("[") ? ipv6(raw, lower) : dnsOrIpv4(raw, lower);
    }

    private static HostName ipv6(String raw, String lower) {
        int close = lower.indexOf(']');
        if (close < 0) throw invalid(raw, "the IPv6 address has no closing ]");
        String address = lower.substring(1, close);
        if (address.isEmpty() || !address.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            throw invalid(raw, "the IPv6 address is malformed");
        }
        String rest = lower.substring(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(":")) throw invalid(raw, "text follows the IPv6 address");
        return new HostName("[" + address + "]", rest.isEmpty() ? -1 : port(raw, rest.substring(1)));
    }

    private static HostName dnsOrIpv4(String raw, String lower) {
        int colon = lower.indexOf(':');
        if (colon != lower.lastIndexOf(':')) throw invalid(raw, "it has more than one ':'");
        String name = colon < 0 ? lower : lower.substring(0, colon);
        int port = colon < 0 ? -1 : port(raw, lower.substring(colon + 1));
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        if (name.isEmpty() || name.length() > MAX_NAME) throw invalid(raw, "the name is empty or too long");
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty()) throw invalid(raw, "it has an empty label");
            if (label.length() > MAX_LABEL) throw invalid(raw, "a label is longer than 63 characters");
            if (label.startsWith("-") || label.endsWith("-")) throw invalid(raw, "a label starts or ends with '-'");
            if (!label.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                throw invalid(raw, "a label has a character other than a-z, 0-9 and '-'");
            }
        }
        return new HostName(name, port);
    }

    private static int port(String raw, String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(raw, "the port is not a number from 1 to 65535");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) throw invalid(raw, "the port is not a number from 1 to 65535");
        return port;
    }

    /** The same server for a request made with {@code scheme}: equal names and equal effective ports. */
    public boolean sameServer(HostName other, String scheme) {
        return name.equals(other.name) && effectivePort(scheme) == other.effectivePort(scheme);
    }

    private int effectivePort(String scheme) {
        if (port >= 0) return port;
        return "http".equals(scheme) ? 80 : 443;
    }

    /** As written in URLs and in git's {@code host} attribute: {@code name} or {@code name:port}. */
    @Override
    public String toString() {
        return port < 0 ? name : name + ":" + port;
    }

    private static DomainException invalid(String raw, String why) {
        return DomainException.invalid(
                "invalid_host",
                "'" + Printable.of(raw) + "' is not a host name authrelay accepts: " + why,
                "hosts are plain ASCII DNS names with an optional :port, for example github.com");
    }
}
