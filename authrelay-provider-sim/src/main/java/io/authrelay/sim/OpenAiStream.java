package io.authrelay.sim;

import java.util.List;
import java.util.Map;

/** A minimal Responses API stream (what Codex reads from {@code POST .../responses}): one message, then completed. */
final class OpenAiStream {
    private OpenAiStream() {}

    static List<Map<String, Object>> events(String text) {
        String id = "resp_" + Ids.alnum(24);
        Map<String, Object> message = Map.of(
                "type", "message",
                "id", "msg_" + Ids.alnum(24),
                "role", "assistant",
                "status", "completed",
                "content", List.of(Map.of("type", "output_text", "text", text, "annotations", List.of())));
        Map<String, Object> usage = Map.of(
                "input_tokens", 1,
                "input_tokens_details", Map.of("cached_tokens", 0),
                "output_tokens", 1,
                "output_tokens_details", Map.of("reasoning_tokens", 0),
                "total_tokens", 2);
        return List.of(
                event("response.created", Map.of("type", "response.created", "response", Map.of("id", id))),
                event(
                        "response.output_item.done",
                        Map.of("type", "response.output_item.done", "output_index", 0, "item", message)),
                event(
                        "response.completed",
                        Map.of("type", "response.completed", "response", Map.of("id", id, "usage", usage))));
    }

    private static Map<String, Object> event(String name, Map<String, Object> data) {
        return Map.of("event", name, "data", data);
    }
}
