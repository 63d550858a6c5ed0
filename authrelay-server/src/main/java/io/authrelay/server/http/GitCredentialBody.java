package io.authrelay.server.http;

import io.authrelay.core.workspace.VendRequest;
import java.util.ArrayList;
import java.util.List;

/** git's credential format as the sh helper forwards it: key=value lines; wwwauth[] repeats; url= is split up. */
final class GitCredentialBody {
    private static final int MAX_LINES = 512;

    private GitCredentialBody() {}

    static VendRequest parse(String body) {
        String protocol = null, host = null, path = null, username = null;
        List<String> wwwauth = new ArrayList<>();
        String[] lines = body.split("\n", -1);
        if (lines.length > MAX_LINES) throw new ApiException(400, "invalid_credential_request", "too many lines", null);
        for (String raw : lines) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) break;
            int eq = line.indexOf('=');
            if (eq <= 0 || line.indexOf('\0') >= 0) {
                throw new ApiException(400, "invalid_credential_request", "malformed line in git credential request", "expected key=value");
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            switch (key) {
                case "protocol" -> protocol = value;
                case "host" -> host = value;
                case "path" -> path = value;
                case "username" -> username = value;
                case "wwwauth[]" -> {
                    if (value.isEmpty()) wwwauth.clear();
                    else wwwauth.add(value);
                }
                case "url" -> {
                    java.net.URI url = java.net.URI.create(value);
                    protocol = url.getScheme();
                    host = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
                    String p = url.getPath();
                    path = p == null || p.length() <= 1 ? null : p.substring(1);
                }
                default -> { /* other attributes (capability[], state[], password...) do not affect vending */ }
            }
        }
        return new VendRequest(protocol, host, path, username, wwwauth, null);
    }
}
