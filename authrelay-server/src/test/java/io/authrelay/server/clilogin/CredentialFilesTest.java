package io.authrelay.server.clilogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.clilogin.CapturedCredential;
import io.authrelay.core.clilogin.CliDriver;
import io.authrelay.core.clilogin.CredentialCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFilesTest {
    private static final CredentialCapture CLAUDE = new CredentialCapture(
            ".claude/.credentials.json",
            "/claudeAiOauth/accessToken",
            "/claudeAiOauth/refreshToken",
            "/claudeAiOauth/expiresAt",
            "epoch_ms",
            "/oauthAccount/emailAddress",
            ".claude/.claude.json");

    @TempDir
    Path home;

    private final Instant started = Instant.now().minusSeconds(5);

    @Test
    void readsTheTokensTheExpiryAndTheAccountFromTheFilesTheDriverNames() throws Exception {
        write(
                ".claude/.credentials.json",
                "{\"claudeAiOauth\":{\"accessToken\":\"at-1\",\"refreshToken\":\"rt-1\",\"expiresAt\":1900000000000}}");
        write(".claude/.claude.json", "{\"oauthAccount\":{\"emailAddress\":\"me@example.com\"}}");
        CapturedCredential c = CredentialFiles.read(home, CLAUDE, CliDriver.OAUTH, started);
        assertThat(c.access().value()).isEqualTo("at-1");
        assertThat(c.refresh().value()).isEqualTo("rt-1");
        assertThat(c.expiresAt()).isEqualTo(Instant.ofEpochMilli(1900000000000L));
        assertThat(c.account()).isEqualTo("me@example.com");
        assertThat(c.file().value()).contains("at-1");
    }

    @Test
    void aFileOlderThanTheRunIsNotThisLoginsCredential() throws Exception {
        Path file = write(".claude/.credentials.json", "{\"claudeAiOauth\":{\"accessToken\":\"old\"}}");
        Files.setLastModifiedTime(file, FileTime.from(started.minusSeconds(3600)));
        assertThatThrownBy(() -> CredentialFiles.read(home, CLAUDE, CliDriver.OAUTH, started))
                .hasMessageContaining("not written by this login");
    }

    @Test
    void aLinkOutOfTheHomeIsNotFollowed(@TempDir Path elsewhere) throws Exception {
        Path target = elsewhere.resolve("creds.json");
        Files.writeString(target, "{\"claudeAiOauth\":{\"accessToken\":\"planted\"}}");
        Files.createDirectories(home.resolve(".claude"));
        Files.createSymbolicLink(home.resolve(".claude/.credentials.json"), target);
        assertThatThrownBy(() -> CredentialFiles.read(home, CLAUDE, CliDriver.OAUTH, started))
                .hasMessageContaining("wrote no");
    }

    @Test
    void garbageAndMissingTokensFailWithoutQuotingTheFile() throws Exception {
        write(".claude/.credentials.json", "{\"claudeAiOauth\":{\"accessToken\":\"secret-xyz\"");
        assertThatThrownBy(() -> CredentialFiles.read(home, CLAUDE, CliDriver.OAUTH, started))
                .hasMessageContaining("not valid JSON")
                .message()
                .doesNotContain("secret-xyz");
        write(".claude/.credentials.json", "{\"claudeAiOauth\":{\"accessToken\":\"\",\"refreshToken\":\"secret-r\"}}");
        assertThatThrownBy(() -> CredentialFiles.read(home, CLAUDE, CliDriver.OAUTH, started))
                .hasMessageContaining("no usable value at /claudeAiOauth/accessToken")
                .message()
                .doesNotContain("secret-r");
        write(".claude/.credentials.json", "{\"claudeAiOauth\":{\"accessToken\":7}}");
        assertThatThrownBy(() -> CredentialFiles.read(home, CLAUDE, CliDriver.OAUTH, started))
                .hasMessageContaining("no usable value");
    }

    @Test
    void anEmptyRefreshTokenIsNone() throws Exception {
        write(
                ".claude/.credentials.json",
                "{\"claudeAiOauth\":{\"accessToken\":\"a\",\"refreshToken\":\"\",\"expiresAt\":1}}");
        assertThat(CredentialFiles.read(home, CLAUDE, CliDriver.OAUTH, started).refresh())
                .isNull();
    }

    @Test
    void aJwtAccessTokenGivesItsOwnExpiry() throws Exception {
        String payload = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"exp\":1900000000}".getBytes(StandardCharsets.UTF_8));
        String jwt = "e30." + payload + ".sig";
        write(".codex/auth.json", "{\"tokens\":{\"access_token\":\"" + jwt + "\",\"account_id\":\"acct-1\"}}");
        var codex = new CredentialCapture(
                ".codex/auth.json",
                "/tokens/access_token",
                "/tokens/refresh_token",
                "/tokens/access_token",
                "jwt_exp",
                "/tokens/account_id",
                null);
        CapturedCredential c = CredentialFiles.read(home, codex, CliDriver.OAUTH, started);
        assertThat(c.expiresAt()).isEqualTo(Instant.ofEpochSecond(1900000000L));
        assertThat(c.account()).isEqualTo("acct-1");
        assertThat(CredentialFiles.jwtExpiry("opaque-token")).isNull();
    }

    private Path write(String relative, String content) throws Exception {
        Path file = home.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }
}
