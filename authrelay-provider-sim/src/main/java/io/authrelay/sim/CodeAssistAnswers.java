package io.authrelay.sim;

import java.util.List;
import java.util.Map;

/** Minimal answers of Google's Code Assist API ({@code v1internal:METHOD}), which Gemini CLI calls with a Google login. */
final class CodeAssistAnswers {
    static final String PROJECT = "authrelay-sim-project";

    private CodeAssistAnswers() {}

    /** The answer to {@code POST .../v1internal:METHOD}, or null for a method the simulator does not know. */
    static Object forMethod(String path, String text) {
        int colon = path.lastIndexOf(':');
        String method = colon < 0 ? "" : path.substring(colon + 1);
        return switch (method) {
            case "loadCodeAssist" ->
                Map.of(
                        "currentTier", tier(),
                        "allowedTiers", List.of(tier()),
                        "cloudaicompanionProject", PROJECT);
            case "onboardUser" ->
                Map.of("done", true, "response", Map.of("cloudaicompanionProject", Map.of("id", PROJECT)));
            case "generateContent", "streamGenerateContent" -> Map.of("response", generated(text));
            case "countTokens" -> Map.of("totalTokens", 1);
            case "listExperiments" -> Map.of("experimentIds", List.of(), "flags", List.of());
            case "retrieveUserQuota" -> Map.of("buckets", List.of());
            default -> null;
        };
    }

    private static Map<String, Object> tier() {
        return Map.of("id", "standard-tier", "name", "Gemini Code Assist", "userDefinedCloudaicompanionProject", false);
    }

    private static Map<String, Object> generated(String text) {
        return Map.of(
                "candidates",
                List.of(Map.of(
                        "content",
                        Map.of("role", "model", "parts", List.of(Map.of("text", text))),
                        "finishReason",
                        "STOP",
                        "index",
                        0)),
                "usageMetadata",
                Map.of("promptTokenCount", 1, "candidatesTokenCount", 1, "totalTokenCount", 2));
    }
}
