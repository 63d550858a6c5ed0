package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.ExternalTool;
import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.TestBroker;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real git against a real authenticating forge (git http-backend behind HTTPS and Basic auth, with a bare
 * {@code repo.git}), through our credential helpers, in an isolated git environment per test. Register it after the
 * {@link TestBroker} it works with.
 */
public final class GitWorld implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    public record Run(int exit, String out, String err, Duration took) {}

    private final TestBroker broker;
    private Path dir;
    private TestCertificate certificate;
    private GitHttpServer forge;
    private GitHttpServer plainForge;

    private final TestCertificate given;

    public GitWorld(TestBroker broker) {
        this(broker, null);
    }

    /** With the forge serving this certificate (the one a TLS broker serves too, so one CA file trusts both). */
    public GitWorld(TestBroker broker, TestCertificate certificate) {
        this.broker = broker;
        this.given = certificate;
    }

    /** Registered on a static field, after a static TestBroker: one forge for the whole class. */
    private boolean perClass;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        perClass = true;
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass) open();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) close();
    }

    private void open() throws IOException {
        ExternalTool.require("git");
        dir = Files.createDirectories(broker.dir().resolve("git"));
        Path repos = Files.createDirectories(dir.resolve("repos"));
        assertThat(git(Map.of(), repos, "init", "-q", "--bare", "-b", "main", "repo.git")
                        .exit())
                .isZero();
        assertThat(git(Map.of(), repos.resolve("repo.git"), "config", "http.receivepack", "true")
                        .exit())
                .isZero();
        certificate = given != null ? given : TestCertificate.create(dir);
        forge = new GitHttpServer(repos, certificate);
    }

    private void close() {
        if (forge != null) forge.close();
        if (plainForge != null) plainForge.close();
    }

    public Path dir() {
        return dir;
    }

    /** The HTTPS forge. */
    public GitHttpServer forge() {
        return forge;
    }

    /** The same repositories over plain HTTP, started on first use. */
    public GitHttpServer plainForge() throws IOException {
        if (plainForge == null) plainForge = new GitHttpServer(dir.resolve("repos"), null);
        return plainForge;
    }

    public Path certificate() {
        return certificate.pem();
    }

    /** A static provider for a forge, with its secret; {@code allowHttp} for a plain-HTTP forge. */
    public void addProvider(String name, GitHttpServer target, String secret, boolean allowHttp) {
        addProvider(name, target.host(), secret, allowHttp);
    }

    /** A static provider for {@code host} (a forge under another of its names), with its secret. */
    public void addProvider(String name, String host, String secret, boolean allowHttp) {
        expect(
                201,
                broker.send(
                        "POST",
                        "/v1/providers",
                        "{\"name\":\"" + name + "\",\"type\":\"static\",\"host\":\"" + host
                                + "\",\"username\":\"x-access-token\"" + (allowHttp ? ",\"allow_http\":true" : "")
                                + "}"));
        expect(200, broker.send("PUT", "/v1/credentials/" + name, "{\"secret\":\"" + secret + "\"}"));
    }

    /** The HTTPS forge, accepting only a fresh secret from now on, as provider {@code name}; returns the secret. */
    public String secretForge(String name) {
        String secret = "forge-token-" + UUID.randomUUID();
        forge.acceptedPassword.set(secret);
        addProvider(name, forge, secret, false);
        return secret;
    }

    /** Creates a workspace with these grants and returns its token. */
    public String workspace(String name, String... grants) {
        String list =
                String.join(",", Arrays.stream(grants).map(g -> "\"" + g + "\"").toList());
        return expect(
                        201,
                        broker.send("POST", "/v1/workspaces", "{\"name\":\"" + name + "\",\"grants\":[" + list + "]}"))
                .json()
                .path("token")
                .asString();
    }

    /** git with only the given environment on top of a clean one; stdin closed. */
    public Run git(Map<String, String> env, Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("GIT_") || k.startsWith("AUTHRELAY_"));
        builder.environment().putAll(env);
        return run(builder, null, "git " + String.join(" ", args));
    }

    /** A helper run directly, the way git runs it: {@code input} is git's key=value description. */
    public static Run helper(Map<String, String> env, String input, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("AUTHRELAY_"));
        builder.environment().putAll(env);
        return run(builder, input, String.join(" ", command));
    }

    private static Run run(ProcessBuilder builder, String input, String what) {
        Instant start = Instant.now();
        try {
            Process p = builder.start();
            try (var stdin = p.getOutputStream()) {
                if (input != null) stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            var err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            String out = readAll(p.getInputStream());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(what + " finished").isTrue();
            return new Run(p.exitValue(), out, err.join(), Duration.between(start, Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client module's own classes (a directory in the reactor, or its jar), without its test classes. */
    static String clientClasses() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("authrelay-client") && !e.endsWith("test-classes") && !e.endsWith("-tests.jar"))
                .findFirst()
                .orElseThrow();
    }

    /** A wrapper that runs the Java helper from the client module's classes alone: it must not need anything else. */
    public Path javaHelper() throws IOException {
        String clientClasses = clientClasses();
        Path script = dir.resolve("git-credential-authrelay");
        Files.writeString(
                script,
                "#!/bin/sh\nexec '" + ProcessHandle.current().info().command().orElseThrow()
                        + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + clientClasses
                        + "' io.authrelay.client.git.GitCredentialHelper \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** The sh helper as a workspace gets it: downloaded from the broker. */
    public Path shHelper() throws IOException {
        var script = expect(200, broker.send("GET", "/v1/helper.sh", null, null));
        return Files.writeString(dir.resolve("helper.sh"), script.body());
    }

    /**
     * A git home configured by the real {@code authrelay setup-git --relay} (plus {@code options}, such as
     * {@code --sh-helper FILE}) for {@code host}, and the environment git runs with: the workspace's broker settings,
     * the Java helper as the one next to the launcher.
     */
    public Map<String, String> relayedGit(String workspaceToken, String host, String... options) throws IOException {
        Path gitHome = Files.createDirectories(dir.resolve("relay-home-" + UUID.randomUUID()));
        Path root = Files.createDirectories(gitHome.resolve("authrelay/bin"));
        Files.copy(javaHelper(), root.resolve("git-credential-authrelay"));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", gitHome.toString());
        env.put("GIT_CONFIG_GLOBAL", gitHome.resolve(".gitconfig").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_ASKPASS", "/bin/false");
        env.put("AUTHRELAY_URL", broker.url());
        env.put("AUTHRELAY_TOKEN", workspaceToken);
        env.put("AUTHRELAY_CA_FILE", certificate.pem().toString());
        Map<String, String> setup = new HashMap<>(env);
        setup.put("AUTHRELAY_ROOT", root.getParent().toString());
        List<String> args = new ArrayList<>(List.of("setup-git", "--relay", "--host", host));
        args.addAll(Arrays.asList(options));
        CliRun run = Cli.run(setup, null, args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("git reaches https://" + host + " through the relay at " + broker.url());
        Files.writeString(
                gitHome.resolve(".gitconfig"),
                "[user]\n\tname = Agent\n\temail = agent@example.test\n[protocol]\n\tversion = 2\n",
                StandardOpenOption.APPEND);
        return env;
    }

    /**
     * A fresh git home whose only credential helper for {@code target} is {@code helper}, trusting the forge's
     * certificate, with the workspace's broker settings in the environment.
     */
    public Map<String, String> env(String workspaceToken, String helper, GitHttpServer target) throws IOException {
        Path gitHome = Files.createDirectories(dir.resolve("githome-" + UUID.randomUUID()));
        Path config = gitHome.resolve(".gitconfig");
        Files.writeString(
                config,
                "[user]\n\tname = Agent\n\temail = agent@example.test\n[credential \"" + target.protocol() + "://"
                        + target.host() + "\"]\n\thelper = \n\thelper = " + helper + "\n\tuseHttpPath = true\n"
                        + "[http]\n\tsslCAInfo = " + certificate.pem() + "\n[protocol]\n\tversion = 2\n");
        Map<String, String> env = new HashMap<>();
        env.put("HOME", gitHome.toString());
        env.put("GIT_CONFIG_GLOBAL", config.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_ASKPASS", "/bin/false");
        env.put("AUTHRELAY_URL", broker.url());
        env.put("AUTHRELAY_TOKEN", workspaceToken);
        return env;
    }
}
