package io.authrelay.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/workspace}: what this workspace is and what it may use. */
public record WorkspaceInfo(String name, String expiresAt, List<Grant> grants, List<String> hosts) {
    public record Grant(String provider, String host, String path) {}

    @SuppressWarnings("unchecked")
    public static WorkspaceInfo parse(String json) {
        Map<String, Object> root = MiniJson.parseObject(json);
        List<Grant> grants = new ArrayList<>();
        if (root.get("grants") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> m) {
                    Map<String, Object> g = (Map<String, Object>) m;
                    grants.add(new Grant(
                            MiniJson.string(g, "provider"), MiniJson.string(g, "host"), MiniJson.string(g, "path")));
                }
            }
        }
        List<String> hosts = new ArrayList<>();
        if (root.get("hosts") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof String s) hosts.add(s);
            }
        }
        return new WorkspaceInfo(
                MiniJson.string(root, "name"),
                MiniJson.string(root, "expires_at"),
                List.copyOf(grants),
                List.copyOf(hosts));
    }
}
