package io.authrelay.server;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** HOST:PORT (IPv6 in brackets) parsed once, with the one question that matters for safety: is it loopback only? */
public record ListenAddress(String host, int port) {
    public static final String DEFAULT = "127.0.0.1:7878";

    public static ListenAddress parse(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("listen address must be HOST:PORT, for example " + DEFAULT);
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port in '" + value + "' is not a number");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        return new ListenAddress(host, port);
    }

    public boolean isLoopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new StartupRefusal("cannot resolve listen host '" + host + "'");
        }
    }
}
