package io.authrelay.server.pty;

import io.authrelay.server.ExternalTool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The real AI CLIs (tools/ai-clis, pinned; {@code -Dauthrelay.aiClis=<node_modules/.bin>} points elsewhere) and
 * their driver files: a test builds its run from the driver's mode, so the shipped patterns are what is tested.
 */
final class AiClis {
    private AiClis() {}

    static Path cli(String name) {
        Path bin = Path.of(System.getProperty("authrelay.aiClis", "../tools/ai-clis/node_modules/.bin"));
        return ExternalTool.requireFile(
                bin.resolve(name).toAbsolutePath().normalize(), "run 'npm ci' in tools/ai-clis (see .ci/run)");
    }

    /** A run of one driver mode as the shipped driver file describes it (args, pty, environment, files, patterns). */
    static RunSpec.Builder driverMode(String driver, String cli, String mode, Path runsDir) {
        JsonNode root = read(driver);
        JsonNode m = root.path("modes").path(mode);
        if (m.isMissingNode()) throw new IllegalArgumentException(driver + " has no mode " + mode);
        List<String> args = new ArrayList<>();
        m.path("args").forEach(a -> args.add(a.asString()));
        JsonNode p = m.path("patterns");
        RunSpec.Builder spec = RunSpec.builder(cli(cli), runsDir)
                .args(args)
                .pty(m.path("pty").asBoolean(false))
                .patterns(OutputPatterns.compile(
                        text(p, "url"),
                        text(p, "code"),
                        text(p, "input_prompt"),
                        text(p, "success"),
                        text(p, "failure")))
                .exclusiveLock(text(m, "exclusive"))
                .reportBrowserUrls(m.path("browser_urls").asBoolean(true))
                .completionFile(text(m, "completion_file"))
                .timeout(Duration.ofMinutes(2));
        fields(root.path("environment")).forEach(spec::env);
        fields(m.path("environment")).forEach(spec::env);
        root.path("prepare")
                .forEach(f ->
                        spec.file(f.path("path").asString(), f.path("content").asString()));
        m.path("answers")
                .forEach(a -> spec.answer(PromptAnswer.of(
                        a.path("expect").asString(), a.path("send").asString())));
        return spec;
    }

    private static JsonNode read(String driver) {
        try (var in = AiClis.class.getResourceAsStream("/drivers/" + driver + ".yaml")) {
            return new YAMLMapper().readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.path(name);
        return v.isMissingNode() || v.isNull() ? null : v.asString();
    }

    private static Map<String, String> fields(JsonNode node) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }
}
