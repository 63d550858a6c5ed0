package io.authrelay.server.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability itself needs a power cut to show; what a test can see is the content, the mode and the leftovers. */
class PrivateFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void anAtomicWriteLeavesOnlyTheFileOwnerOnlyWithTheNewContent() throws Exception {
        Path file = dir.resolve("admin.token");
        PrivateFiles.writeAtomically(file, "first\n".getBytes(StandardCharsets.UTF_8));
        PrivateFiles.writeAtomically(file, "second\n".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(file)).isEqualTo("second\n");
        assertThat(mode(file)).isEqualTo("rw-------");
        try (var names = Files.list(dir)) {
            assertThat(names).containsExactly(file);
        }
    }

    @Test
    void aTempFileLeftByACrashIsReplacedAndNeverTakenForTheFile() throws Exception {
        Path file = dir.resolve("keyset.json");
        Files.writeString(file, "real");
        Path leftover = dir.resolve(".keyset.json.tmp");
        Files.writeString(leftover, "half-written");
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-r--r--"));

        PrivateFiles.writeAtomically(file, "next".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(file)).isEqualTo("next");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(leftover).doesNotExist();

        Files.writeString(leftover, "half-written");
        PrivateFiles.discardInterruptedWrite(file);
        assertThat(leftover).doesNotExist();
        assertThat(Files.readString(file)).isEqualTo("next");
        PrivateFiles.discardInterruptedWrite(file); // nothing left: nothing to do
    }
}
