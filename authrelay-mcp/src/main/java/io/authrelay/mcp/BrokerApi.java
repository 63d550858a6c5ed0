package io.authrelay.mcp;

import tools.jackson.databind.JsonNode;

/** What the tools need from the daemon; {@link BrokerConnection} is the real one, tests give a fake. */
interface BrokerApi {
    /** @throws ToolFailure with the broker's error code when the daemon refuses, or a cause and fix when it is away */
    JsonNode get(String path);

    JsonNode post(String path, Object body);

    /** The daemon's version document, or null when no daemon answers (the status tool reports that). */
    JsonNode versionOrNull();

    /** Where the daemon is looked for, for messages. */
    String where();

    /** Why this server may not start a daemon itself, or null when it may. */
    String autostartRefusal();
}
