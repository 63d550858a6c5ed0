package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.client.FakeBroker;
import io.authrelay.client.FakeBroker.Answer;
import io.authrelay.server.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code helper.sh materialize NAME DIR} under dash with curl and under BusyBox alone (nc): the line format of
 * {@code /v1/deliver}, the path rules of the Java client, links planted in DIR, modes, and the exit codes.
 */
class ShHelperMaterializeTest {
    private static final String TOKEN = "arw_" + "s".repeat(40);
    private static final String ACCESS = "sk-ant-oat01-" + "q".repeat(30);
    private static final String FILE = ".claude/.credentials.json";
    /** Trailing newlines and non-ASCII: written byte for byte. */
    private static final String CONTENT = "{\"claudeAiOauth\":{\"accessToken\":\"" + ACCESS + "\",\"n\":\"é ✓\"}}\n\n";

    @TempDir
    Path dir;

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The sh format: {@code files} alternate path and content. */
    static String lines(String provider, String expiresAt, String... files) {
        StringBuilder b = new StringBuilder("provider " + provider + "\n");
        if (expiresAt != null) b.append("expires_at ").append(expiresAt).append('\n');
        b.append("env CLAUDE_CODE_OAUTH_TOKEN ").append(b64(ACCESS)).append('\n');
        b.append("future-kind whatever\n");
        for (int i = 0; i < files.length; i += 2) {
            b.append("file ")
                    .append(b64(files[i]))
                    .append(' ')
                    .append(b64(files[i + 1]))
                    .append('\n');
        }
        return b.toString();
    }

    private Map<String, String> env(String url, Path tools) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHRELAY_URL", url);
        env.put("AUTHRELAY_TOKEN", TOKEN);
        env.put("AUTHRELAY_CONFIG", "/nonexistent/client.conf");
        env.put("PATH", tools == null ? System.getenv("PATH") : tools.toString());
        return env;
    }

    /** The two workspaces: dash with the system's tools (curl), and BusyBox with nothing else (nc). */
    private List<List<String>> shells() throws Exception {
        ExternalTool.require("dash");
        ExternalTool.require("curl");
        Path busybox = dir.resolve("busybox");
        if (!Files.isDirectory(busybox)) ShHelper.busyboxOnly(busybox);
        Path script = ShHelper.script(dir);
        return List.of(
                List.of("dash", script.toString(), "-"),
                List.of(ShHelper.busybox(), "sh", script.toString(), busybox.toString()));
    }

    private GitWorld.Run materialize(List<String> shell, String url, String... args) {
        Path tools = shell.get(shell.size() - 1).equals("-") ? null : Path.of(shell.get(shell.size() - 1));
        List<String> command = new ArrayList<>(shell.subList(0, shell.size() - 1));
        command.add("materialize");
        command.addAll(List.of(args));
        return GitWorld.helper(env(url, tools), "", command.toArray(String[]::new));
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static List<Path> everything(Path root) throws Exception {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root)).sorted().toList();
        }
    }

    @Test
    void writesTheDeliveredFilesByteForByteOwnerOnlyOnEitherShell() throws Exception {
        String answer = lines("claude", "2026-11-28T20:00:00Z", FILE, CONTENT, "empty", "", "․․/x", "inside");
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, answer))) {
            for (List<String> shell : shells()) {
                Path home = dir.resolve("home-" + shell.get(0).replaceAll(".*/", ""));
                Files.createDirectories(home.resolve(".claude"));
                Path old = Files.writeString(home.resolve(FILE), "an older and longer credential file");
                Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
                Files.setPosixFilePermissions(home.resolve(".claude"), PosixFilePermissions.fromString("rwx------"));

                GitWorld.Run run = materialize(shell, broker.url(), "claude", home.toString());

                assertThat(run.exit()).as(run.toString()).isZero();
                assertThat(run.out()).isEmpty();
                assertThat(run.err())
                        .isEqualTo("authrelay: materialize claude: wrote " + home + "/" + FILE + ", " + home
                                + "/empty, " + home + "/․․/x (expires 2026-11-28T20:00:00Z)\n");
                assertThat(Files.readAllBytes(home.resolve(FILE))).isEqualTo(CONTENT.getBytes(StandardCharsets.UTF_8));
                assertThat(Files.size(home.resolve("empty"))).isZero();
                assertThat(Files.readString(home.resolve("․․").resolve("x"))).isEqualTo("inside");
                for (String f : List.of(FILE, "empty", "․․/x"))
                    assertThat(mode(home.resolve(f))).isEqualTo("rw-------");
                assertThat(mode(home.resolve("․․"))).isEqualTo("rwx------");
                assertThat(everything(home))
                        .containsExactly(
                                home.resolve(".claude"),
                                home.resolve(FILE),
                                home.resolve("empty"),
                                home.resolve("․․"),
                                home.resolve("․․/x"));
            }
            assertThat(broker.requests()).hasSize(2).allSatisfy(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/v1/deliver");
                assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN);
                assertThat(r.contentType()).isEqualTo("application/json");
                assertThat(r.body()).isEqualTo("{\"provider\":\"claude\"}\n");
            });
        }
    }

    @Test
    void aMissingHomeIsCreatedOwnerOnly() throws Exception {
        Path home = dir.resolve("new/home");
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, lines("codex", null, ".codex/auth.json", "{}")))) {
            GitWorld.Run run = materialize(shells().get(1), broker.url(), "codex", home.toString());
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.err()).isEqualTo("authrelay: materialize codex: wrote " + home + "/.codex/auth.json\n");
            assertThat(mode(home)).isEqualTo("rwx------");
            assertThat(mode(home.resolve(".codex"))).isEqualTo("rwx------");
        }
    }

    @Test
    void gnuWgetCarriesItToo() throws Exception {
        Path tools = Files.createDirectories(dir.resolve("wget-tools"));
        for (String tool :
                List.of("wget", "mktemp", "rm", "cat", "od", "sleep", "base64", "tr", "mkdir", "mv", "sync")) {
            Files.createSymbolicLink(tools.resolve(tool), ExternalTool.require(tool));
        }
        Path home = dir.resolve("home");
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, lines("claude", null, FILE, CONTENT)))) {
            GitWorld.Run run = materialize(
                    List.of("dash", ShHelper.script(dir).toString(), tools.toString()),
                    broker.url(),
                    "claude",
                    home + "//");
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.err()).isEqualTo("authrelay: materialize claude: wrote " + home + "/" + FILE + "\n");
            assertThat(Files.readString(home.resolve(FILE))).isEqualTo(CONTENT);
            assertThat(broker.requests().get(0).contentType()).isEqualTo("application/json");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../x",
                "/etc/x",
                "a/../../x",
                "a/./b",
                ".",
                "..",
                "",
                "a//b",
                "a/",
                "a\\b",
                "a\u0000b",
                "a\nb",
                "a\rb",
                "a\u007fb",
                "a\u0085b",
                "a\u2028b",
                "./a"
            })
    void aPathTheJavaClientRefusesIsRefusedAndNothingIsWritten(String path) throws Exception {
        String answer = lines("claude", null, "first", "ok", path, CONTENT);
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, answer))) {
            for (List<String> shell : shells()) {
                Path home = Files.createDirectories(dir.resolve("home"));
                GitWorld.Run run = materialize(shell, broker.url(), "claude", home.toString());
                assertThat(run.exit()).as(run.toString()).isEqualTo(1);
                assertThat(run.err())
                        .startsWith("authrelay: refusing what the broker delivered for claude: file path '")
                        .doesNotContain(ACCESS)
                        .hasLineCount(1);
                assertThat(everything(dir.resolve("home"))).isEmpty();
                assertThat(everything(dir.getParent().resolve("x"))).isEmpty();
            }
        }
    }

    @Test
    void twoFilesAtOnePathOrAFileOverADirectoryAreRefused() throws Exception {
        List<String> shell = shells().get(0);
        for (String[] files :
                List.of(new String[] {"a", "1", "a", "2"}, new String[] {"a/b", "1", "a", "2"}, new String[] {
                    "a", "1", "a/b", "2"
                })) {
            try (FakeBroker broker = FakeBroker.always(Answer.json(200, lines("claude", null, files)))) {
                GitWorld.Run run = materialize(
                        shell, broker.url(), "claude", dir.resolve("home").toString());
                assertThat(run.exit()).isEqualTo(1);
                assertThat(run.err()).containsAnyOf("comes twice", "is also a directory of another");
                assertThat(everything(dir.resolve("home"))).isEmpty();
            }
        }
    }

    @Test
    void aLinkPlantedInTheHomeIsNeverFollowed() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path theirs = Files.writeString(elsewhere.resolve("theirs"), "theirs");
        Files.createSymbolicLink(home.resolve(".claude"), elsewhere);
        Files.createDirectories(home.resolve(".codex"));
        Files.createSymbolicLink(home.resolve(".codex/auth.json"), theirs);
        for (List<String> shell : shells()) {
            for (String path : List.of(FILE, ".claude/deeper/x", ".codex/auth.json")) {
                try (FakeBroker broker = FakeBroker.always(Answer.json(200, lines("claude", null, path, CONTENT)))) {
                    GitWorld.Run run = materialize(shell, broker.url(), "claude", home.toString());
                    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
                    assertThat(run.err()).endsWith(" is a symbolic link: refusing to write " + path + "\n");
                }
            }
        }
        assertThat(everything(elsewhere)).containsExactly(theirs);
        assertThat(Files.readString(theirs)).isEqualTo("theirs");
    }

    @Test
    void refusalsEndWithOneLineAndTheClisExitCodes() throws Exception {
        List<String> shell = shells().get(1);
        Map<Answer, Integer> answers = Map.of(
                Answer.error(
                                409,
                                "needs_reauth",
                                "claude needs a new login",
                                "ask an admin to run authrelay login claude"),
                        1,
                Answer.error(401, "workspace_revoked", "workspace token revoked", null), 4,
                Answer.error(403, "not_granted", "not granted", null), 4,
                Answer.error(404, "unknown_provider", "no provider claude", null), 3,
                Answer.json(200, lines("codex", null)), 1);
        for (var answer : answers.entrySet()) {
            try (FakeBroker broker = FakeBroker.always(answer.getKey())) {
                GitWorld.Run run = materialize(
                        shell, broker.url(), "claude", dir.resolve("home").toString());
                assertThat(run.exit()).as(run.toString()).isEqualTo(answer.getValue());
                assertThat(run.err()).startsWith("authrelay: ").hasLineCount(1);
            }
        }
        GitWorld.Run reauth;
        try (FakeBroker broker = FakeBroker.always(Answer.error(
                409, "needs_reauth", "claude needs a new login", "ask an admin to run authrelay login claude"))) {
            reauth = materialize(
                    shell, broker.url(), "claude", dir.resolve("home").toString());
        }
        assertThat(reauth.err())
                .isEqualTo("authrelay: claude needs a new login: ask an admin to run authrelay login claude\n");
        GitWorld.Run nobody = materialize(
                shell, "http://127.0.0.1:1", "claude", dir.resolve("home").toString());
        assertThat(nobody.exit()).isEqualTo(5);
        assertThat(nobody.err())
                .isEqualTo("authrelay: broker unreachable at http://127.0.0.1:1: is the daemon running?\n");
        for (String[] args :
                List.of(new String[] {"claude"}, new String[] {"../x", "home"}, new String[] {"Claude", "h"})) {
            GitWorld.Run usage = materialize(shell, "http://127.0.0.1:1", args);
            assertThat(usage.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(usage.err()).hasLineCount(1);
        }
        assertThat(dir.resolve("home")).doesNotExist();
    }

    /** The token, the credential and its base64 form pass through builtins and pipes only, never a program's argv. */
    @Test
    void noSecretInAnyArgv() throws Exception {
        String answer = lines("claude", null, FILE, CONTENT);
        try (FakeBroker broker = FakeBroker.always(Answer.json(200, answer))) {
            for (List<String> shell : shells()) {
                Path trace = dir.resolve("trace-" + shell.get(0).replaceAll(".*/", ""));
                List<String> traced = new ArrayList<>(List.of(
                        ExternalTool.require("strace").toString(),
                        "-f",
                        "-s",
                        "100000",
                        "-e",
                        "trace=execve",
                        "-o",
                        trace.toString()));
                traced.addAll(shell);
                Path home = dir.resolve("traced-home");
                GitWorld.Run run = materialize(traced, broker.url(), "claude", home.toString());
                assertThat(run.exit()).as(run.toString()).isZero();
                String execs = Files.readString(trace);
                assertThat(execs).contains("execve(").doesNotContain(TOKEN, ACCESS, b64(CONTENT), b64(ACCESS));
            }
        }
    }
}
