package io.authrelay.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.client.FakeBroker.Answer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecTest {
    private static final String TOKEN = "arw_" + "e".repeat(40);

    @TempDir
    Path dir;

    private static Map<String, String> env(FakeBroker broker) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("AUTHRELAY_URL", broker.url());
        env.put("AUTHRELAY_TOKEN", TOKEN);
        env.put("AUTHRELAY_TIMEOUT", "3");
        return env;
    }

    private static FakeBroker tokensByProvider() throws Exception {
        return new FakeBroker((i, r) -> {
            String provider = MiniJson.string(MiniJson.parseObject(r.body()), "provider");
            return provider.equals("missing")
                    ? Answer.error(404, "unknown_host", "no such provider", null)
                    : Answer.json(
                            200,
                            "{\"provider\":\"" + provider + "\",\"username\":\"u\",\"password\":\"tok-" + provider
                                    + "\"}");
        });
    }

    @Test
    void tokensGoIntoTheEnvironmentNeverArgv() throws Exception {
        Path out = dir.resolve("env.txt");
        try (FakeBroker broker = tokensByProvider()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Exec.run(
                    List.of("github", "gitea", "ci"),
                    Map.of("ci", "CI_TOKEN"),
                    List.of(
                            "sh",
                            "-c",
                            "printf '%s|%s|%s|%s' \"$GH_TOKEN\" \"$GITHUB_TOKEN\" \"$AUTHRELAY_TOKEN_GITEA\" \"$CI_TOKEN\" > \"$1\"; exit 7",
                            "sh",
                            out.toString()),
                    env(broker),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).isEqualTo(7);
            assertThat(Files.readString(out)).isEqualTo("tok-github|tok-github|tok-gitea|tok-ci");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(broker.requests())
                    .extracting(r -> MiniJson.parseObject(r.body()))
                    .containsExactly(
                            Map.of("provider", "github"), Map.of("provider", "gitea"), Map.of("provider", "ci"));
        }
    }

    @Test
    void variableNames() {
        assertThat(Exec.variablesFor("github", null)).containsExactly("GH_TOKEN", "GITHUB_TOKEN");
        assertThat(Exec.variablesFor("github-enterprise", null)).containsExactly("GH_TOKEN", "GITHUB_TOKEN");
        assertThat(Exec.variablesFor("my.gitea-1", null)).containsExactly("AUTHRELAY_TOKEN_MY_GITEA_1");
        assertThat(Exec.variablesFor("github", "A, B")).containsExactly("A", "B");
    }

    @Test
    void commandNotFoundIs127AndVendFailureIs125() throws Exception {
        try (FakeBroker broker = tokensByProvider()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
            assertThat(Exec.run(
                            List.of("github"),
                            Map.of(),
                            List.of("/nonexistent/definitely-not-here"),
                            env(broker),
                            errStream))
                    .isEqualTo(127);
            assertThat(Exec.run(List.of("missing"), Map.of(), List.of("true"), env(broker), errStream))
                    .isEqualTo(125);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("command not found")
                    .contains("authrelay: the broker has no provider named missing");
        }
        try (FakeBroker broker = FakeBroker.always(Answer.error(401, "workspace_revoked", "revoked", null))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Exec.run(
                            List.of("github"),
                            Map.of(),
                            List.of("true"),
                            env(broker),
                            new PrintStream(err, true, StandardCharsets.UTF_8)))
                    .isEqualTo(125);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .isEqualTo("authrelay: workspace token revoked: ask an admin for a new one\n");
        }
    }

    @Test
    void collidingVariablesAreRefusedBeforeVending() throws Exception {
        try (FakeBroker broker = tokensByProvider()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Exec.run(
                    List.of("github", "github-ee"),
                    Map.of(),
                    List.of("true"),
                    env(broker),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("would both set GH_TOKEN");
            assertThat(broker.requests()).isEmpty();
        }
    }
}
