package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.ExternalTool;
import io.authrelay.server.http.Json;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real git, through our credential helpers, against a real authenticating git server (git http-backend behind
 * Basic auth) that accepts only the token the broker holds: clone, fetch, push, rotation, rejection, revocation.
 */
class GitIntegrationTest {
    @TempDir
    Path tmp;

    private Process daemon;
    private GitHttpServer forge;
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;
    private String admin;

    @AfterEach
    void cleanUp() {
        if (daemon != null) daemon.destroyForcibly();
        if (forge != null) forge.close();
    }

    record Run(int exit, String out, String err, Duration took) {}

    private Run git(Map<String, String> env, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("GIT_") || k.startsWith("AUTHRELAY_"));
        builder.environment().putAll(env);
        Instant start = Instant.now();
        Process p = builder.start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("git " + String.join(" ", args) + " finished")
                .isTrue();
        return new Run(
                p.exitValue(),
                new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8),
                Duration.between(start, Instant.now()));
    }

    private String api(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + admin)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isBetween(200, 299);
        return response.body();
    }

    /** A wrapper that runs the helper from the client module's classes alone: it must not need anything else. */
    private Path javaHelper() throws Exception {
        String clientClasses = Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("authrelay-client"))
                .findFirst()
                .orElseThrow();
        Path script = tmp.resolve("git-credential-authrelay");
        Files.writeString(
                script,
                "#!/bin/sh\nexec '" + ProcessHandle.current().info().command().orElseThrow()
                        + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + clientClasses
                        + "' io.authrelay.client.git.GitCredentialHelper \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private Map<String, String> gitEnv(String workspaceToken, String helper) throws Exception {
        Path gitHome = Files.createDirectories(tmp.resolve("githome-" + UUID.randomUUID()));
        Path config = gitHome.resolve(".gitconfig");
        Files.writeString(
                config,
                "[user]\n\tname = Agent\n\temail = agent@example.test\n[credential \"http://" + forge.host() + "\"]\n"
                        + "\thelper = \n\thelper = " + helper + "\n\tuseHttpPath = true\n[protocol]\n\tversion = 2\n");
        Map<String, String> env = new HashMap<>();
        env.put("HOME", gitHome.toString());
        env.put("GIT_CONFIG_GLOBAL", config.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_ASKPASS", "/bin/false");
        env.put("AUTHRELAY_URL", "http://127.0.0.1:" + port);
        env.put("AUTHRELAY_TOKEN", workspaceToken);
        return env;
    }

    @Test
    void gitClonesFetchesAndPushesThroughTheBrokerAndFailsCleanlyWhenRevoked() throws Exception {
        ExternalTool.require("git");
        Path repos = Files.createDirectories(tmp.resolve("repos"));
        assertThat(git(Map.of(), repos, "init", "-q", "--bare", "-b", "main", "repo.git")
                        .exit())
                .isZero();
        assertThat(git(Map.of(), repos.resolve("repo.git"), "config", "http.receivepack", "true")
                        .exit())
                .isZero();
        forge = new GitHttpServer(repos);
        String first = "forge-token-" + UUID.randomUUID();
        forge.acceptedPassword.set(first);

        Path home = tmp.resolve("home");
        port = DaemonProcess.freePort();
        daemon = DaemonProcess.start(home, port, tmp.resolve("daemon.log"));
        admin = Files.readString(home.resolve("admin.token")).trim();
        api(
                "POST",
                "/v1/providers",
                "{\"name\":\"forge\",\"type\":\"static\",\"host\":\"" + forge.host()
                        + "\",\"username\":\"x-access-token\"}");
        api("PUT", "/v1/credentials/forge", "{\"secret\":\"" + first + "\"}");
        String token = Json.MAPPER
                .readTree(api(
                        "POST",
                        "/v1/workspaces",
                        "{\"name\":\"agent\",\"grants\":[\"forge=" + forge.host() + "/repo\"]}"))
                .path("token")
                .asString();
        Map<String, String> env = gitEnv(token, javaHelper().toString());
        String remote = "http://" + forge.host() + "/repo.git";

        Run clone = git(env, tmp, "clone", "-q", remote, "work");
        assertThat(clone.exit()).as(clone.err()).isZero();
        Path work = tmp.resolve("work");
        Files.writeString(work.resolve("README"), "one\n");
        git(env, work, "add", "README");
        git(env, work, "commit", "-q", "-m", "one");
        Run push = git(env, work, "push", "-q", "origin", "HEAD:main");
        assertThat(push.exit()).as(push.err()).isZero();

        // exec hands the token to a child process in its environment, never in argv.
        Map<String, String> execEnv = Map.of("AUTHRELAY_URL", env.get("AUTHRELAY_URL"), "AUTHRELAY_TOKEN", token);
        CliProcess.Result exec = CliProcess.run(
                execEnv,
                null,
                "exec",
                "--provider",
                "forge=FORGE_TOKEN",
                "--",
                "sh",
                "-c",
                "test \"$FORGE_TOKEN\" = \"" + first + "\" && cat /proc/self/cmdline");
        assertThat(exec.exit()).as(exec.err()).isZero();
        assertThat(exec.out()).doesNotContain(first);

        // The credential is rotated at the broker and at the forge: the very next push uses the new one.
        String second = "forge-token-" + UUID.randomUUID();
        forge.acceptedPassword.set(second);
        api("PUT", "/v1/credentials/forge", "{\"secret\":\"" + second + "\"}");
        Files.writeString(work.resolve("README"), "two\n");
        git(env, work, "commit", "-q", "-am", "two");
        Run pushAfterRotation = git(env, work, "push", "-q", "origin", "HEAD:main");
        assertThat(pushAfterRotation.exit()).as(pushAfterRotation.err()).isZero();
        Run fetch = git(env, work, "fetch", "-q", "origin");
        assertThat(fetch.exit()).as(fetch.err()).isZero();

        // The forge stops accepting the token the broker holds: git erases it, and the broker hears about it.
        forge.acceptedPassword.set("something-else-" + UUID.randomUUID());
        Run rejected = git(env, work, "fetch", "-q", "origin");
        assertThat(rejected.exit()).isNotZero();
        Instant deadline = Instant.now().plusSeconds(10);
        while (!api("GET", "/v1/audit", null).contains("vend.rejected")
                && Instant.now().isBefore(deadline)) Thread.sleep(100);
        assertThat(api("GET", "/v1/audit", null)).contains("vend.rejected");
        assertThat(api("GET", "/v1/diagnose/forge", null)).contains("rejected by " + forge.host());

        forge.acceptedPassword.set(second);
        api("POST", "/v1/workspaces/agent/revoke", "{}");
        Run revoked = git(env, work, "fetch", "-q", "origin");
        assertThat(revoked.exit()).isNotZero();
        assertThat(revoked.err()).contains("authrelay: workspace token revoked: ask an admin for a new one");
        assertThat(revoked.err()).doesNotContain("Username for");
        assertThat(revoked.took()).isLessThan(Duration.ofSeconds(15));

        String all = Files.readString(tmp.resolve("daemon.log")) + clone.err() + push.err() + revoked.err();
        assertThat(all).doesNotContain(first).doesNotContain(second).doesNotContain(token);
    }

    @Test
    void theShHelperServedByTheBrokerWorksUnderDash() throws Exception {
        ExternalTool.require("git");
        ExternalTool.require("dash");
        ExternalTool.require("curl");
        Path repos = Files.createDirectories(tmp.resolve("repos"));
        git(Map.of(), repos, "init", "-q", "--bare", "-b", "main", "repo.git");
        forge = new GitHttpServer(repos);
        String secret = "forge-token-" + UUID.randomUUID();
        forge.acceptedPassword.set(secret);
        Path home = tmp.resolve("home");
        port = DaemonProcess.freePort();
        daemon = DaemonProcess.start(home, port, tmp.resolve("daemon.log"));
        admin = Files.readString(home.resolve("admin.token")).trim();
        api("POST", "/v1/providers", "{\"name\":\"forge\",\"type\":\"static\",\"host\":\"" + forge.host() + "\"}");
        api("PUT", "/v1/credentials/forge", "{\"secret\":\"" + secret + "\"}");
        String token = Json.MAPPER
                .readTree(api("POST", "/v1/workspaces", "{\"name\":\"sh\",\"grants\":[\"forge\"]}"))
                .path("token")
                .asString();

        Path helper = tmp.resolve("helper.sh");
        HttpResponse<byte[]> script = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/helper.sh"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(script.statusCode()).isEqualTo(200);
        Files.write(helper, script.body());
        Map<String, String> env = gitEnv(token, "!dash " + helper);

        Run clone = git(env, tmp, "clone", "-q", "http://" + forge.host() + "/repo.git", "work-sh");
        assertThat(clone.exit()).as(clone.err()).isZero();

        ProcessBuilder direct = new ProcessBuilder("dash", helper.toString(), "get");
        direct.environment().putAll(Map.of("AUTHRELAY_URL", "http://127.0.0.1:" + port, "AUTHRELAY_TOKEN", token));
        Process get = direct.start();
        get.getOutputStream().write(("protocol=http\nhost=" + forge.host() + "\n\n").getBytes(StandardCharsets.UTF_8));
        get.getOutputStream().close();
        assertThat(new String(get.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("password=" + secret);
        assertThat(get.waitFor()).isZero();

        Process notOurs = direct.start();
        notOurs.getOutputStream().write("protocol=https\nhost=elsewhere.example\n\n".getBytes(StandardCharsets.UTF_8));
        notOurs.getOutputStream().close();
        assertThat(notOurs.getInputStream().readAllBytes()).isEmpty();
        assertThat(notOurs.waitFor()).isZero();

        api("POST", "/v1/workspaces/sh/revoke", "{}");
        Process revoked = direct.start();
        revoked.getOutputStream()
                .write(("protocol=http\nhost=" + forge.host() + "\n\n").getBytes(StandardCharsets.UTF_8));
        revoked.getOutputStream().close();
        assertThat(new String(revoked.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("quit=1\n");
        assertThat(new String(revoked.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("authrelay: workspace token revoked: ask an admin");

        Process malformed = direct.start();
        malformed.getOutputStream().write("not a key value line\n\n".getBytes(StandardCharsets.UTF_8));
        malformed.getOutputStream().close();
        assertThat(malformed.waitFor()).isEqualTo(2);
    }
}
