package io.authrelay.server;

import io.authrelay.core.net.Loopback;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code jdbc:postgresql:} URL read the way the driver reads it: its hosts (none means localhost), and its parameters
 * decoded, names exact as the driver matches them, the last of a repeated name winning.
 */
record PostgresUrl(List<String> hosts, Map<String, String> parameters) {
    static PostgresUrl parse(String url) {
        String rest = url.substring(DatabaseTarget.POSTGRESQL.length());
        int query = rest.indexOf('?');
        String beforeQuery = query < 0 ? rest : rest.substring(0, query);
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query >= 0) {
            for (String pair : rest.substring(query + 1).split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                parameters.put(name, equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        List<String> hosts = new ArrayList<>();
        if (beforeQuery.startsWith("//")) {
            int path = beforeQuery.indexOf('/', 2);
            String authority = beforeQuery.substring(2, path < 0 ? beforeQuery.length() : path);
            for (String hostAndPort : authority.split(",", -1)) hosts.add(hostOf(hostAndPort));
        }
        return new PostgresUrl(List.copyOf(hosts), parameters);
    }

    /** Every host is this machine: no host at all (the driver's localhost), or a {@link Loopback} literal. */
    boolean loopbackOnly() {
        return hosts.stream().allMatch(host -> host.isEmpty() || Loopback.isLiteral(host));
    }

    private static String hostOf(String hostAndPort) {
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            return close < 0 ? hostAndPort : hostAndPort.substring(1, close);
        }
        int colon = hostAndPort.lastIndexOf(':');
        return colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text; // the driver refuses it too; kept as written, it matches no rule that would let it through
        }
    }
}
