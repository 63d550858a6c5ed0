package io.authrelay.server.outbound;

import io.authrelay.core.DomainException;
import io.authrelay.core.net.HostName;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The hosts that bypass the proxy, with curl's NO_PROXY semantics: entries separated by commas (or spaces); {@code *}
 * alone matches every host; a name matches itself and its subdomains on a label boundary ({@code example.com} and
 * {@code .example.com} both match {@code api.example.com} but never {@code badexample.com}); an IP literal matches that
 * address, a CIDR block ({@code 10.0.0.0/8}) the addresses in it; {@code host:port} only that port. Names on both
 * sides are read as every other host in authrelay ({@link HostName}: ASCII only, so a Unicode lookalike is refused
 * rather than folded onto a name; lower case; one trailing dot dropped) and then compared exactly. An IPv4 literal is
 * four decimal octets without leading zeros ({@code 010.0.0.1} is octal to curl and decimal to Java, so here it is a
 * name, as {@code 127.1} and {@code 2130706433} are); IPv6 literals compare as addresses. No name is ever resolved: a
 * name entry never matches an IP literal, nor the reverse.
 */
public final class NoProxy {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    private sealed interface Rule {
        boolean matches(String host, InetAddress address, int port);
    }

    /** A DNS name and its subdomains, on an optional port (-1: any). */
    private record Domain(String name, int port) implements Rule {
        @Override
        public boolean matches(String host, InetAddress address, int port) {
            return address == null
                    && (host.equals(name) || host.endsWith("." + name))
                    && (this.port < 0 || this.port == port);
        }
    }

    /** An address block; a single address is a block of its full length. */
    private record Block(byte[] network, int prefix, int port) implements Rule {
        @Override
        public boolean matches(String host, InetAddress address, int port) {
            return address != null
                    && address.getAddress().length == network.length
                    && prefixOf(address.getAddress()).equals(prefixOf(network))
                    && (this.port < 0 || this.port == port);
        }

        private BigInteger prefixOf(byte[] bytes) {
            return new BigInteger(1, bytes).shiftRight(bytes.length * 8 - prefix);
        }
    }

    private final boolean everything;
    private final List<Rule> rules;
    private final String text;

    private NoProxy(boolean everything, List<Rule> rules, String text) {
        this.everything = everything;
        this.rules = rules;
        this.text = text;
    }

    public static NoProxy none() {
        return new NoProxy(false, List.of(), "");
    }

    /** @throws IllegalArgumentException naming the entry that is neither a host name, an address nor a block */
    public static NoProxy parse(String value) {
        if (value == null || value.isBlank()) return none();
        List<Rule> rules = new ArrayList<>();
        boolean everything = false;
        List<String> entries = new ArrayList<>();
        for (String raw : value.split("[,\\s]+")) {
            String entry = raw.strip();
            if (entry.isEmpty()) continue;
            entries.add(entry);
            if (entry.equals("*")) everything = true;
            else rules.add(rule(entry));
        }
        return new NoProxy(everything, List.copyOf(rules), String.join(",", entries));
    }

    /** True when a request to {@code host} (as in a URL: a name, an IPv4 or a bracketed IPv6 literal) goes direct. */
    public boolean bypasses(String host, int port) {
        if (everything) return true;
        if (rules.isEmpty() || host == null) return false;
        String name;
        try {
            name = host.indexOf(':') >= 0 ? unbracket(host) : normalise(host); // IPv6 is left to literal()
        } catch (IllegalArgumentException notAName) {
            return false; // no host authrelay sends anything to: through the proxy, if at all
        }
        InetAddress address = literal(name);
        if (address != null) name = null;
        for (Rule rule : rules) if (rule.matches(name, address, port)) return true;
        return false;
    }

    /** The entries as given, for /v1/status. */
    @Override
    public String toString() {
        return text;
    }

    private static Rule rule(String entry) {
        String hostPart = entry;
        int port = -1;
        int slash = entry.indexOf('/');
        if (slash < 0) {
            int colon = entry.startsWith("[") ? entry.indexOf(':', entry.indexOf(']')) : entry.lastIndexOf(':');
            boolean bareIpv6 = !entry.startsWith("[") && entry.indexOf(':') != entry.lastIndexOf(':');
            if (colon > 0 && !bareIpv6) {
                port = port(entry, entry.substring(colon + 1));
                hostPart = entry.substring(0, colon);
            }
        }
        if (slash >= 0) {
            InetAddress network = literal(unbracket(entry.substring(0, slash)));
            if (network == null) throw new IllegalArgumentException("'" + entry + "' is not an address block");
            int bits = network.getAddress().length * 8;
            return new Block(network.getAddress(), prefix(entry, entry.substring(slash + 1), bits), port);
        }
        String name;
        try {
            // an IPv6 literal as written; anything else as a host name, so 10.0.0.5. is the address 10.0.0.5
            name = hostPart.indexOf(':') >= 0
                    ? unbracket(hostPart)
                    : normalise(hostPart.startsWith(".") ? hostPart.substring(1) : hostPart);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + entry + "' is not a host name, an address or a block");
        }
        InetAddress address = literal(name);
        if (address != null) return new Block(address.getAddress(), address.getAddress().length * 8, port);
        if (hostPart.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + entry + "' is not a host name, an address or a block");
        }
        return new Domain(name, port);
    }

    /** A name (or IPv4 literal) without a port, as {@link HostName} reads it; refuses anything else. */
    static String normalise(String host) {
        try {
            HostName parsed = HostName.parse(host);
            if (parsed.port() >= 0) throw new IllegalArgumentException("not a host name: " + host);
            return parsed.name();
        } catch (DomainException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The address an IP literal names, or null for anything else; never a DNS lookup. */
    private static InetAddress literal(String text) {
        boolean ipv4 = IPV4.matcher(text).matches();
        boolean ipv6 = text.indexOf(':') >= 0
                && text.chars().allMatch(c -> c == ':' || c == '.' || c < 0x80 && Character.digit(c, 16) >= 0);
        if (!ipv4 && !ipv6) return null;
        try {
            return InetAddress.getByName(text); // a checked literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int port(String entry, String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + entry + "' has a port that is not a number");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("'" + entry + "' has a port out of range");
        return port;
    }

    private static int prefix(String entry, String digits, int bits) {
        if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + entry + "' has a prefix length that is not a number");
        }
        int prefix = Integer.parseInt(digits);
        if (prefix > bits) throw new IllegalArgumentException("'" + entry + "' has a prefix longer than the address");
        return prefix;
    }
}
