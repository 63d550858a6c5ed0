package io.authrelay.server.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authrelay.core.DomainException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriverCommandEditTest {
    @TempDir
    Path home;

    private Path file;
    private Path codex;

    @BeforeEach
    void setUp() throws Exception {
        file = home.resolve(ProvidersFile.NAME);
        codex = home.resolve("codex");
        Files.writeString(codex, "#!/bin/sh\n");
        Files.setPosixFilePermissions(codex, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aFileThatDoesNotExistGetsADriversSection() throws Exception {
        assertThat(DriverCommandEdit.setCommand(file, "codex", codex)).isTrue();
        assertThat(ProvidersYaml.drivers(file).get("codex").path("command").asString())
                .isEqualTo(codex.toString());
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(DriverCommandEdit.setCommand(file, "codex", codex))
                .as("already so")
                .isFalse();
    }

    @Test
    void theOwnersLinesAndCommentsStayAndOtherDriversAreUntouched() throws Exception {
        String owners = """
                # our providers
                providers:
                  - name: gh
                    type: github   # the org's app
                    client_id: Iv1.abc
                drivers:
                  gemini-cli:
                    command: /opt/gemini
                """;
        Files.writeString(file, owners);
        DriverCommandEdit.setCommand(file, "codex", codex);
        String after = Files.readString(file);
        assertThat(after).contains("# our providers", "type: github   # the org's app", "command: /opt/gemini");
        assertThat(ProvidersYaml.drivers(file)).containsOnlyKeys("gemini-cli", "codex");
        assertThat(ProvidersYaml.read(file)).hasSize(1);
    }

    @Test
    void aDriverTheFileAlreadyDescribesIsLeftToTheOwner() throws Exception {
        Files.writeString(file, "drivers:\n  codex:\n    default_mode: browser\n");
        assertThatThrownBy(() -> DriverCommandEdit.setCommand(file, "codex", codex))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("already describes the codex driver");
        assertThat(Files.readString(file)).isEqualTo("drivers:\n  codex:\n    default_mode: browser\n");
    }

    @Test
    void aLayoutTheEditDoesNotUnderstandIsNotChanged() throws Exception {
        String flow = "drivers: {gemini-cli: {command: /opt/gemini}}\n";
        Files.writeString(file, flow);
        assertThatThrownBy(() -> DriverCommandEdit.setCommand(file, "codex", codex))
                .hasMessageContaining("does not understand");
        assertThat(Files.readString(file)).isEqualTo(flow);
        String fourSpaces = "drivers:\n    gemini-cli:\n        command: /opt/gemini\n";
        Files.writeString(file, fourSpaces);
        assertThatThrownBy(() -> DriverCommandEdit.setCommand(file, "codex", codex))
                .hasMessageContaining("does not understand");
        assertThat(Files.readString(file)).isEqualTo(fourSpaces);
    }

    @Test
    void onlyAnAbsoluteExecutableWithoutQuotesOrControlsIsWritten() throws Exception {
        Path plain = Files.writeString(home.resolve("plain"), "x");
        for (Path bad : new Path[] {
            Path.of("codex"), plain, Path.of("/nonexistent/codex"), Path.of("/tmp/a'b"), Path.of("/tmp/a\nb")
        }) {
            assertThatThrownBy(() -> DriverCommandEdit.setCommand(file, "codex", bad))
                    .as(bad.toString())
                    .isInstanceOf(DomainException.class);
        }
        assertThatThrownBy(() -> DriverCommandEdit.setCommand(file, "Codex/../x", codex))
                .isInstanceOf(DomainException.class);
        assertThat(file).doesNotExist();
    }
}
