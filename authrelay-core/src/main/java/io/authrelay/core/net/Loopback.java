package io.authrelay.core.net;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a host, as written, is this machine: {@code localhost}, an IPv4 address in 127.0.0.0/8 written as four
 * decimal octets, or {@code ::1} (bracketed or not). A literal only, never a DNS answer that can change, so anything
 * else is not: a trailing dot, a short form such as {@code 127.1}, an octet above 255, a lookalike character.
 */
public final class Loopback {
    private static final Pattern IPV4 = Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private Loopback() {}

    public static boolean isLiteral(String host) {
        if (host == null) return false;
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) name = name.substring(1, name.length() - 1);
        return name.equals("localhost")
                || IPV4.matcher(name).matches()
                || name.equals("::1")
                || name.equals("0:0:0:0:0:0:0:1");
    }
}
