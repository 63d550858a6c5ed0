package io.authrelay.server.clilogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.clilogin.CliDriver;
import io.authrelay.core.clilogin.CredentialCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CLI (compromised, or just odd) controls its run's home: links it plants there must not make the daemon read a
 * file from elsewhere (the daemon's own home, another run) into a credential that it seals and delivers.
 */
class CredentialFilesAttackTest {
    private static final CredentialCapture CAPTURE = new CredentialCapture(
            ".vendor/creds.json", "/access", null, null, null, "/account", ".vendor/account.json");

    @TempDir
    Path home;

    @TempDir
    Path elsewhere;

    private final Instant started = Instant.now().minusSeconds(5);

    @Test
    void aDirectoryLinkOutOfTheHomeIsNotFollowed() throws Exception {
        Files.writeString(elsewhere.resolve("creds.json"), "{\"access\":\"daemon-secret\"}");
        Files.createSymbolicLink(home.resolve(".vendor"), elsewhere);
        assertThatThrownBy(() -> CredentialFiles.read(home, CAPTURE, CliDriver.OAUTH, started))
                .hasMessageContaining("outside the run's home")
                .message()
                .doesNotContain("daemon-secret");
    }

    @Test
    void aLinkedAccountFileOutOfTheHomeIsNotRead() throws Exception {
        Files.createDirectories(home.resolve(".vendor"));
        Files.writeString(home.resolve(".vendor/creds.json"), "{\"access\":\"a\"}");
        Files.writeString(elsewhere.resolve("account.json"), "{\"account\":\"someone-else\"}");
        Files.createSymbolicLink(home.resolve(".vendor/account.json"), elsewhere.resolve("account.json"));
        assertThat(CredentialFiles.read(home, CAPTURE, CliDriver.OAUTH, started).account())
                .isNull();
    }

    @Test
    void anAccountFileBehindADirectoryLinkIsNotRead() throws Exception {
        Files.createDirectories(home.resolve(".vendor"));
        Files.writeString(home.resolve(".vendor/creds.json"), "{\"access\":\"a\"}");
        Files.writeString(elsewhere.resolve("account.json"), "{\"account\":\"someone-else\"}");
        var capture = new CredentialCapture(
                ".vendor/creds.json", "/access", null, null, null, "/account", ".other/account.json");
        Files.createSymbolicLink(home.resolve(".other"), elsewhere);
        assertThat(CredentialFiles.read(home, capture, CliDriver.OAUTH, started).account())
                .isNull();
    }

    @Test
    void aDriverPathThatClimbsOrIsAbsoluteIsRefused() throws Exception {
        Files.writeString(elsewhere.resolve("creds.json"), "{\"access\":\"daemon-secret\"}");
        for (String path : new String[] {
            "../" + elsewhere.getFileName() + "/creds.json",
            elsewhere.resolve("creds.json").toString()
        }) {
            var capture = new CredentialCapture(path, "/access", null, null, null, null, null);
            assertThatThrownBy(() -> CredentialFiles.read(home, capture, CliDriver.OAUTH, started))
                    .hasMessageContaining("outside the run's home");
        }
    }
}
