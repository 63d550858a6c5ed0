package io.authrelay.core.workspace;

import java.util.List;

/** What git (or exec) asks for: git's credential attributes, or a provider by name. */
public record VendRequest(
        String protocol, String host, String path, String username, List<String> wwwauth, String provider) {}
