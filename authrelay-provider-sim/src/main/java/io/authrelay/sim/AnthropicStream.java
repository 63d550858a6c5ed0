package io.authrelay.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A minimal Messages API answer (what Claude Code reads from {@code POST /v1/messages}), whole or streamed. */
final class AnthropicStream {
    private static final String MODEL = "claude-simulated";

    private AnthropicStream() {}

    static Map<String, Object> message(String text) {
        return Map.of(
                "id",
                "msg_" + Ids.alnum(24),
                "type",
                "message",
                "role",
                "assistant",
                "model",
                MODEL,
                "content",
                List.of(Map.of("type", "text", "text", text)),
                "stop_reason",
                "end_turn",
                "usage",
                Map.of("input_tokens", 1, "output_tokens", 1));
    }

    static List<Map<String, Object>> events(String text) {
        LinkedHashMap<String, Object> start = new LinkedHashMap<>();
        start.put("id", "msg_" + Ids.alnum(24));
        start.put("type", "message");
        start.put("role", "assistant");
        start.put("model", MODEL);
        start.put("content", List.of());
        start.put("stop_reason", null);
        start.put("stop_sequence", null);
        start.put("usage", Map.of("input_tokens", 1, "output_tokens", 1));
        LinkedHashMap<String, Object> stop = new LinkedHashMap<>();
        stop.put("stop_reason", "end_turn");
        stop.put("stop_sequence", null);
        return List.of(
                event("message_start", Map.of("type", "message_start", "message", start)),
                event(
                        "content_block_start",
                        Map.of(
                                "type",
                                "content_block_start",
                                "index",
                                0,
                                "content_block",
                                Map.of("type", "text", "text", ""))),
                event(
                        "content_block_delta",
                        Map.of(
                                "type",
                                "content_block_delta",
                                "index",
                                0,
                                "delta",
                                Map.of("type", "text_delta", "text", text))),
                event("content_block_stop", Map.of("type", "content_block_stop", "index", 0)),
                event(
                        "message_delta",
                        Map.of("type", "message_delta", "delta", stop, "usage", Map.of("output_tokens", 1))),
                event("message_stop", Map.of("type", "message_stop")));
    }

    private static Map<String, Object> event(String name, Map<String, Object> data) {
        return Map.of("event", name, "data", data);
    }
}
