package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/SECURITY.md's nftables recipe, as written there, locks a sandbox user's egress down to the broker: loaded in a
 * fresh network namespace (the user {@code agent} played by {@code nobody}), the user still reaches the broker's
 * address and port, and nothing else (another port, another address, IPv6, DNS); root is untouched, and so are the
 * kernel's own answers (a closed port's ICMP still reaches root). Every check is run before the ruleset too, so each
 * refusal is the ruleset's.
 */
class EgressRecipeTest {
    private static final Path SECURITY =
            Path.of(System.getProperty("user.dir")).getParent().resolve("docs/SECURITY.md");
    private static final String MARKER = "<!-- egress-test: nftables -->";

    @TempDir
    Path dir;

    @Test
    void theDocumentedRulesetLetsTheSandboxUserReachTheBrokerAndNothingElse() throws Exception {
        for (String tool : new String[] {"nft", "unshare", "setpriv", "busybox", "ip"}) ExternalTool.require(tool);
        if (!"root".equals(System.getProperty("user.name"))) {
            ExternalTool.missing("a network namespace with nftables needs root");
        }
        String ruleset = documentedRuleset();
        assertThat(ruleset).contains("meta skuid \"agent\"", "10.0.0.10", "7878");
        Path rules = Files.writeString(dir.resolve("sandbox.nft"), ruleset.replace("\"agent\"", "\"nobody\""));
        Path script = dir.resolve("egress-check.sh");
        try (InputStream in = EgressRecipeTest.class.getResourceAsStream("egress-check.sh")) {
            Files.write(script, in.readAllBytes());
        }
        Process run = new ProcessBuilder("unshare", "-n", "sh", script.toString(), rules.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(out).isZero();

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("before agent-broker", "reached");
        expected.put("before agent-other-port", "reached");
        expected.put("before agent-other-address", "reached");
        expected.put("before agent-dns", "refused"); // the query left and the kernel answered: nothing listens
        expected.put("before agent-ipv6", "reached");
        expected.put("after agent-broker", "reached");
        expected.put("after agent-other-port", "refused");
        expected.put("after agent-other-address", "refused");
        expected.put("after agent-dns", "blocked"); // the query never left
        expected.put("after agent-ipv6", "refused");
        expected.put("after root-other-address", "reached");
        expected.put("after root-dns", "refused"); // the kernel's ICMP answer, which has no socket, still passes
        for (var check : expected.entrySet()) {
            assertThat(out).as(out).contains(check.getKey() + " " + check.getValue() + "\n");
        }
    }

    /** The fenced block that follows the marker in docs/SECURITY.md, without its fences. */
    private static String documentedRuleset() throws IOException {
        String text = Files.readString(SECURITY);
        int marker = text.indexOf(MARKER);
        assertThat(marker).as("docs/SECURITY.md has " + MARKER).isNotNegative();
        int open = text.indexOf("```", marker);
        int start = text.indexOf('\n', open) + 1;
        int end = text.indexOf("```", start);
        return text.substring(start, end);
    }
}
