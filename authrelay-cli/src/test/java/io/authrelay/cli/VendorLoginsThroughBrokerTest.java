package io.authrelay.cli;

import static io.authrelay.server.testing.TestBroker.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.server.testing.Cli;
import io.authrelay.server.testing.CliRun;
import io.authrelay.server.testing.RealAiCli;
import io.authrelay.server.testing.TestBroker;
import io.authrelay.sim.ApiRequest;
import io.authrelay.sim.Flavor;
import io.authrelay.sim.MintedCredential;
import io.authrelay.sim.ProviderSimulator;
import io.authrelay.sim.SimOptions;
import io.authrelay.sim.Vendor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude Code and Gemini CLI credentials through the broker, with the shipped drivers' capture, refresh and delivery:
 * only the login itself is a stand-in (the vendors' sign-in pages cannot be reached), a script that writes the file
 * the real CLI would, holding a credential the simulator minted. From there everything is real: the broker seals it,
 * refreshes it at the simulator's vendor endpoint (JSON for Anthropic, a form for Google) once for a storm of
 * deliveries, and the real CLIs send exactly the broker's current access token; no refresh token reaches a workspace.
 */
class VendorLoginsThroughBrokerTest {
    /**
     * Minted when providers.yaml is written, already expired: the broker must refresh before anyone gets a token, and
     * its scheduled refresh and a storm of deliveries race for it.
     */
    private final Map<Vendor, MintedCredential> minted = new HashMap<>();

    @RegisterExtension
    final TestBroker broker = TestBroker.inProcess()
            .withSimulator(SimOptions.defaults(Flavor.OIDC))
            .withProvidersYaml(this::providersYaml);

    @TempDir
    Path dir;

    private String providersYaml(ProviderSimulator sim) {
        MintedCredential claude = sim.mintVendorCredential(Vendor.ANTHROPIC, "alice", true, -60);
        MintedCredential gemini = sim.mintVendorCredential(Vendor.GOOGLE, "alice", false, -60);
        minted.put(Vendor.ANTHROPIC, claude);
        minted.put(Vendor.GOOGLE, gemini);
        long expiresMs = Instant.now().minusSeconds(60).toEpochMilli();
        Path claudeLogin =
                script("claude-login", """
                mkdir -p "$HOME/.claude"
                printf '%%s' '{"claudeAiOauth":{"accessToken":"%s","refreshToken":"%s","expiresAt":%d,"scopes":["user:inference","user:profile"]}}' > "$HOME/.claude/.credentials.json"
                echo "Login successful."
                """.formatted(claude.accessToken(), claude.refreshToken(), expiresMs));
        Path geminiLogin =
                script("gemini-login", """
                mkdir -p "$HOME/.gemini"
                printf '%%s' '{"active":"alice@example.com"}' > "$HOME/.gemini/google_accounts.json"
                printf '%%s' '{"access_token":"%s","refresh_token":"%s","expiry_date":%d,"token_type":"Bearer"}' > "$HOME/.gemini/oauth_creds.json"
                sleep 60
                """.formatted(gemini.accessToken(), gemini.refreshToken(), expiresMs));
        return """
                drivers:
                  claude-code:
                    command: %s
                    refresh: {token_endpoint: '%s'}
                  gemini-cli:
                    command: %s
                    refresh: {token_endpoint: '%s'}
                providers:
                  - name: claude
                    type: claude-code
                  - name: gemini
                    type: gemini-cli
                """.formatted(
                        claudeLogin,
                        sim.baseUrl() + Vendor.ANTHROPIC.tokenPath(),
                        geminiLogin,
                        sim.baseUrl() + Vendor.GOOGLE.tokenPath());
    }

    @Test
    void claudeGetsTheBrokersFreshTokenThroughExecAndMaterializeAndAStormRefreshesOnce() throws Exception {
        login("claude");
        String workspace = broker.createWorkspace("agent", "claude");
        MintedCredential c = minted.get(Vendor.ANTHROPIC);

        Set<String> delivered = storm(workspace, "claude", "CLAUDE_CODE_OAUTH_TOKEN");
        assertThat(broker.sim().vendorRefreshGrants(c.credentialId()))
                .as("one grant for 20 deliveries and the scheduled refresh")
                .isEqualTo(1);
        assertThat(delivered).hasSize(1);
        String fresh = delivered.iterator().next();
        assertThat(fresh).isNotEqualTo(c.accessToken());
        assertThat(broker.sim().vendorCredentialOf(fresh)).isEqualTo(c.credentialId());

        Path home = Files.createDirectories(dir.resolve("exec-home"));
        CliRun exec = Cli.run(
                workspaceEnv(workspace, home, "ANTHROPIC_BASE_URL", anthropicApi()),
                null,
                "exec",
                "--provider",
                "claude",
                "--",
                RealAiCli.claude().executable().toString(),
                "-p",
                "hi");
        assertThat(exec.exit()).as(exec.toString()).isZero();
        assertThat(claudeRequests())
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + fresh));

        broker.sim().clearApiRequests();
        Path materialized = Files.createDirectories(dir.resolve("materialized-home"));
        CliRun written = Cli.run(
                workspaceEnv(workspace, materialized),
                null,
                "materialize",
                "claude",
                "--home",
                materialized.toString());
        assertThat(written.exit()).as(written.toString()).isZero();
        CliRun fromFile =
                RealAiCli.claude().run(materialized, Map.of("ANTHROPIC_BASE_URL", anthropicApi()), "-p", "hi");
        assertThat(fromFile.exit()).as(fromFile.toString()).isZero();
        assertThat(claudeRequests())
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + fresh));

        String liveRefresh = broker.sim().vendorRefreshToken(c.credentialId());
        assertThat(everythingUnder(dir)).doesNotContain(liveRefresh).doesNotContain(c.refreshToken());
        assertThat(exec.out() + exec.err()).doesNotContain(liveRefresh);
    }

    @Test
    void geminiGetsTheBrokersFreshTokenInItsVariablesAndItsRefreshIsGooglesForm() throws Exception {
        login("gemini");
        String workspace = broker.createWorkspace("agent", "gemini");
        MintedCredential c = minted.get(Vendor.GOOGLE);

        Set<String> delivered = storm(workspace, "gemini", "GOOGLE_CLOUD_ACCESS_TOKEN");
        assertThat(broker.sim().vendorRefreshGrants(c.credentialId())).isEqualTo(1);
        assertThat(delivered).hasSize(1);
        String fresh = delivered.iterator().next();
        assertThat(broker.sim().vendorCredentialOf(fresh)).isEqualTo(c.credentialId());

        Path home = Files.createDirectories(dir.resolve("gemini-home"));
        CliRun exec = Cli.run(
                workspaceEnv(
                        workspace,
                        home,
                        "CODE_ASSIST_ENDPOINT",
                        broker.sim().baseUrl() + Vendor.GOOGLE.prefix(),
                        "GEMINI_CLI_TRUST_WORKSPACE",
                        "true"),
                null,
                "exec",
                "--provider",
                "gemini",
                "--",
                RealAiCli.gemini().executable().toString(),
                "-m",
                "gemini-2.5-flash",
                "-p",
                "hi");
        assertThat(exec.exit()).as(exec.toString()).isZero();
        List<ApiRequest> calls = broker.sim().apiRequests().stream()
                .filter(r -> r.path().startsWith("/google/v1internal"))
                .toList();
        assertThat(calls)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + fresh));
        assertThat(everythingUnder(dir)).doesNotContain(c.refreshToken());
    }

    /** 20 workspace deliveries at once; returns the distinct access tokens they carried in {@code variable}. */
    private Set<String> storm(String workspace, String provider, String variable) throws Exception {
        List<Callable<String>> deliveries = Stream.<Callable<String>>generate(() -> () -> expect(
                                200,
                                broker.send("POST", "/v1/deliver", "{\"provider\":\"" + provider + "\"}", workspace))
                        .json()
                        .path("env")
                        .path(variable)
                        .asString())
                .limit(20)
                .toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            Set<String> tokens = new java.util.HashSet<>();
            for (var future : pool.invokeAll(deliveries)) tokens.add(future.get());
            return tokens.stream().collect(Collectors.toSet());
        }
    }

    private void login(String provider) {
        var started = expect(201, broker.send("POST", "/v1/logins", "{\"provider\":\"" + provider + "\"}"))
                .json();
        var ended = broker.awaitLoginEnd(started.path("session").asString(), Duration.ofSeconds(60));
        assertThat(ended.path("status").asString()).as(ended.toString()).isEqualTo("connected");
    }

    private List<ApiRequest> claudeRequests() {
        return broker.sim().apiRequests().stream()
                .filter(r -> r.path().startsWith("/anthropic/v1/messages"))
                .toList();
    }

    private String anthropicApi() {
        return broker.sim().baseUrl() + Vendor.ANTHROPIC.prefix();
    }

    private Map<String, String> workspaceEnv(String token, Path home, String... extra) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHRELAY_URL", broker.url());
        env.put("AUTHRELAY_TOKEN", token);
        env.put("AUTHRELAY_CONFIG", "/nonexistent/client.conf");
        env.put("HOME", home.toString());
        env.put("PATH", System.getenv("PATH"));
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        for (int i = 0; i < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
        return env;
    }

    private Path script(String name, String body) {
        try {
            Path script = Files.createTempDirectory("vendor-login").resolve(name);
            Files.writeString(script, "#!/bin/sh\n" + body);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String everythingUnder(Path root) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList())
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }
}
