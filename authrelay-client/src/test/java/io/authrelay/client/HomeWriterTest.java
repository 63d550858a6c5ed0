package io.authrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written under a home: where they land, their modes, links planted in the way, and atomic replacement. */
class HomeWriterTest {
    @TempDir
    Path dir;

    private static Delivery.File file(String path, String content) {
        return new Delivery.File(path, content);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static List<Path> everything(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root)).sorted().toList();
        }
    }

    @Test
    void filesAreWrittenByteForByteOwnerOnlyAndMissingDirectoriesAre0700() throws Exception {
        Path home = dir.resolve("home");
        String json = "{\"claudeAiOauth\":{\"accessToken\":\"tok\",\"note\":\"é ✓\"}}\n\n";
        List<Path> written = new HomeWriter(home)
                .write(List.of(file(".claude/.credentials.json", json), file("deep/er/x", ""), file("top", "t")));

        assertThat(written)
                .containsExactly(
                        home.resolve(".claude/.credentials.json"), home.resolve("deep/er/x"), home.resolve("top"));
        assertThat(Files.readAllBytes(home.resolve(".claude/.credentials.json")))
                .isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        assertThat(Files.size(home.resolve("deep/er/x"))).isZero();
        for (Path f : written) assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
        for (String d : List.of(".", ".claude", "deep", "deep/er"))
            assertThat(mode(home.resolve(d))).as(d).isEqualTo("rwx------");
        // nothing else: no temp file left behind
        assertThat(everything(home))
                .containsExactly(
                        home.resolve(".claude"),
                        home.resolve(".claude/.credentials.json"),
                        home.resolve("deep"),
                        home.resolve("deep/er"),
                        home.resolve("deep/er/x"),
                        home.resolve("top"));
    }

    @Test
    void anExistingFileIsReplacedAndMadeOwnerOnly() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/.codex"));
        Path auth = Files.writeString(home.resolve("auth.json"), "old and longer than the new one");
        Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("rw-r--r--"));

        new HomeWriter(dir.resolve("home")).write(List.of(file(".codex/auth.json", "new")));

        assertThat(Files.readString(auth)).isEqualTo("new");
        assertThat(mode(auth)).isEqualTo("rw-------");
        assertThat(everything(home)).containsExactly(auth);
    }

    @Test
    void aLookalikeOfDotDotIsAFileNameInsideTheHome() throws Exception {
        Path home = Files.createDirectories(dir.resolve("a/home"));
        new HomeWriter(home).write(List.of(file("․․/x", "inside")));

        assertThat(Files.readString(home.resolve("․․").resolve("x"))).isEqualTo("inside");
        assertThat(everything(dir.resolve("a"))).containsExactly(home, home.resolve("․․"), home.resolve("․․/x"));
    }

    @Test
    void aLinkPlantedForADirectoryIsRefusedAndNothingIsWrittenAnywhere() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(home.resolve(".claude"), elsewhere);

        HomeWriter writer = new HomeWriter(home);
        assertThatThrownBy(() -> writer.write(
                        List.of(file("first.json", "x"), file(".claude/.credentials.json", "secret-content"))))
                .isInstanceOf(HomeWriter.DeliveryWriteRefused.class)
                .hasMessage(
                        home.resolve(".claude") + " is a symbolic link: refusing to write .claude/.credentials.json")
                .hasMessageNotContaining("secret-content");

        assertThat(everything(elsewhere)).isEmpty();
        assertThat(everything(home)).containsExactly(home.resolve(".claude")); // not even the first file
    }

    @Test
    void aLinkDeeperDownOrAsTheFileItselfIsRefused() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path target = Files.writeString(elsewhere.resolve("target"), "theirs");
        Files.createDirectories(home.resolve("a"));
        Files.createSymbolicLink(home.resolve("a/b"), elsewhere);
        Files.createSymbolicLink(home.resolve("f"), target);
        Files.createSymbolicLink(home.resolve("dangling"), elsewhere.resolve("missing"));

        HomeWriter writer = new HomeWriter(home);
        for (String path : List.of("a/b/c", "a/b/c/d", "f", "dangling", "dangling/x")) {
            assertThatThrownBy(() -> writer.write(List.of(file(path, "mine"))))
                    .as(path)
                    .isInstanceOf(HomeWriter.DeliveryWriteRefused.class)
                    .hasMessageContaining("is a symbolic link");
        }
        assertThat(Files.readString(target)).isEqualTo("theirs");
        assertThat(everything(elsewhere)).containsExactly(target);
    }

    @Test
    void aFileWhereADirectoryIsNeededOrADirectoryWhereTheFileGoesIsRefused() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("plain"), "x");
        Files.createDirectories(home.resolve("adir"));
        HomeWriter writer = new HomeWriter(home);

        assertThatThrownBy(() -> writer.write(List.of(file("plain/x", "y"))))
                .hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> writer.write(List.of(file("adir", "y"))))
                .hasMessageContaining("is not a regular file");
    }

    @Test
    void aHomeThatCannotBeMadeOrAFileThatCannotBeWrittenSaysWhichAndWhy() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> new HomeWriter(plain.resolve("home")).write(List.of(file("a", "b"))))
                .hasMessageStartingWith("cannot use " + plain.resolve("home") + ": ");
        Path home = Files.createDirectories(dir.resolve("home"));
        String tooLong = "n".repeat(300);
        assertThatThrownBy(() -> new HomeWriter(home).write(List.of(file("a/" + tooLong, "secret-b"))))
                .hasMessage("cannot write " + home.toRealPath().resolve("a/" + tooLong) + ": File name too long")
                .hasMessageNotContaining("secret-b");
    }

    @Test
    void aHomeNamedThroughALinkIsTheUsersChoiceAndIsFollowed() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        List<Path> written = new HomeWriter(link).write(List.of(file("x", "y")));

        assertThat(written).containsExactly(real.toRealPath().resolve("x"));
        assertThat(Files.readString(real.resolve("x"))).isEqualTo("y");
    }

    /**
     * A reader that opens the file again and again while it is rewritten many times sees one whole version each time,
     * never a missing, empty or partial file. It counts rounds, not time.
     */
    @Test
    void aConcurrentReaderNeverSeesAPartialFile() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        String a = "A".repeat(64 * 1024);
        String b = "B".repeat(96 * 1024 + 7);
        HomeWriter writer = new HomeWriter(home);
        writer.write(List.of(file(".gemini/oauth_creds.json", a)));
        Path target = home.resolve(".gemini/oauth_creds.json");

        AtomicBoolean done = new AtomicBoolean();
        List<String> wrong = new ArrayList<>();
        int[] reads = {0};
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    String seen = Files.readString(target);
                    reads[0]++;
                    if (!seen.equals(a) && !seen.equals(b)) wrong.add("length " + seen.length());
                } catch (NoSuchFileException e) {
                    wrong.add("missing");
                } catch (IOException e) {
                    wrong.add(e.toString());
                }
            }
        });
        reader.start();
        for (int i = 0; i < 300; i++) writer.write(List.of(file(".gemini/oauth_creds.json", i % 2 == 0 ? b : a)));
        done.set(true);
        reader.join();

        assertThat(wrong).isEmpty();
        assertThat(reads[0]).isPositive();
        assertThat(Files.readString(target)).isEqualTo(a);
        assertThat(everything(home.resolve(".gemini"))).containsExactly(target);
    }
}
