package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authrelay.client.FakeBroker;
import io.authrelay.client.FakeBroker.Answer;
import io.authrelay.server.home.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/git-credential-authrelay as installed: its first run records the JVM's start-up archive during a real {@code get},
 * whose answer is the vended password. No file may ever hold that password, even when the run is killed half-way,
 * and the cache is the user's alone.
 */
class GitCredentialLauncherTest {
    private static final String ASK = "protocol=https\nhost=github.com\n\n";

    @TempDir
    Path dir;

    private static final String TOKEN = "arw_" + "l".repeat(40);
    private final String canary = "canary-" + UUID.randomUUID();
    private Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    private Path launcher;
    private Path home;
    private Path tmp;

    /** The layout bin/ expects: bin/git-credential-authrelay, bin/lib, and the client jar in dist/lib. */
    @BeforeEach
    void install() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("install/bin/lib"));
        Path repoBin = Path.of("..", "bin").toAbsolutePath().normalize();
        launcher = Files.copy(
                repoBin.resolve("git-credential-authrelay"), dir.resolve("install/bin/git-credential-authrelay"));
        Files.copy(repoBin.resolve("lib/find-java.sh"), bin.resolve("find-java.sh"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        Path lib = Files.createDirectories(dir.resolve("install/dist/lib"));
        jar(Path.of(GitWorld.clientClasses()), lib.resolve("authrelay-client.jar"));
        home = Files.createDirectories(dir.resolve("home"));
        tmp = Files.createDirectories(dir.resolve("tmp"));
    }

    /** The client as one jar: copied when the reactor already packaged it, else made from its classes. */
    private static void jar(Path classes, Path jar) throws IOException {
        if (Files.isRegularFile(classes)) {
            Files.copy(classes, jar);
            return;
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(
                        new ZipEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    private FakeBroker broker(long delayMillis) throws IOException {
        return FakeBroker.always(
                Answer.json(200, "{\"provider\":\"p\",\"username\":\"u\",\"password\":\"" + canary + "\"}")
                        .delayed(delayMillis));
    }

    private Process start(FakeBroker broker) throws IOException {
        return start(broker.url(), ASK, "get");
    }

    /** The launcher as git runs it: {@code args} then the operation, the request on stdin, the workspace token. */
    private Process start(String brokerUrl, String request, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AUTHRELAY_") || k.startsWith("XDG_") || k.equals("JAVA_HOME"));
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("AUTHRELAY_JAVA", java.toString());
        env.put("AUTHRELAY_URL", brokerUrl);
        env.put("AUTHRELAY_TOKEN", TOKEN);
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(request.getBytes(StandardCharsets.UTF_8));
        }
        return process;
    }

    @Test
    void storeAndTheRelaysEraseAreAnsweredWithoutStartingAJvm() throws Exception {
        Path marker = dir.resolve("a-jvm-started");
        java = Files.writeString(dir.resolve("java"), "#!/bin/sh\ntouch '" + marker + "'\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        String stored = ASK.replace("\n\n", "\nusername=u\npassword=p\n\n");
        for (String[] args : List.of(
                new String[] {"store"}, new String[] {"--provider", "gh", "store"}, new String[] {"--relay", "erase"
                })) {
            Process process = start("https://relay.example:8443", stored, args);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(String.join(" ", args)).isZero();
            assertThat(read(process)).isEmpty();
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void theRelaysGetAnswersWithTheWorkspaceTokenAndBuildsItsArchive() throws Exception {
        String relay = "https://relay.example:8443";
        Process first = start(relay, "protocol=https\nhost=relay.example:8443\n\n", "--relay", "get");
        assertThat(read(first)).isEqualTo("username=authrelay\npassword=" + TOKEN + "\n");
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isZero();
        awaitTheArchive();
        try (Stream<Path> files = Files.list(cache())) {
            // the relay's answer needs no network: the interpreter's archive, not the one for TLS to a broker
            assertThat(files.map(f -> f.getFileName().toString()))
                    .anyMatch(n -> n.endsWith("-interpreted.aot") || n.endsWith(".jsa"));
        }
        assertTheCacheIsTheUsersAlone();
    }

    private Path cache() {
        return home.resolve(".cache/authrelay");
    }

    private static String read(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every file under HOME and TMPDIR: none may hold the password. */
    private void assertNoFileHoldsTheCanary() throws IOException {
        byte[] needle = canary.getBytes(StandardCharsets.UTF_8);
        for (Path root : List.of(home, tmp)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(text.contains(new String(needle, StandardCharsets.ISO_8859_1)))
                            .as(file + " holds the vended password")
                            .isFalse();
                }
            }
        }
    }

    private void assertTheCacheIsTheUsersAlone() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache())))
                .isEqualTo("rwx------");
        try (Stream<Path> files = Files.walk(cache())) {
            for (Path file : files.toList()) {
                assertThat(PrivateFiles.isOwnerOnly(file)).as(file.toString()).isTrue();
            }
        }
    }

    /** The first run leaves its archive to a background JVM: wait until no recording is left to turn into one. */
    private void awaitTheArchive() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            try (Stream<Path> files = Files.list(cache())) {
                if (files.noneMatch(f -> f.getFileName().toString().contains(".aotconf."))) return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the archive was not made within 90 s");
    }

    @Test
    void theFirstRunKeepsThePasswordOutOfEveryFileAndTheArchiveStillServes() throws Exception {
        try (FakeBroker broker = broker(0)) {
            Process first = start(broker);
            assertThat(read(first)).isEqualTo("username=u\npassword=" + canary + "\n");
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isZero();
            awaitTheArchive();
            try (Stream<Path> files = Files.list(cache())) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .anyMatch(n -> n.endsWith(".aot") || n.endsWith(".jsa"));
            }
            assertNoFileHoldsTheCanary();
            assertTheCacheIsTheUsersAlone();

            // an interrupted first run of an earlier version left a password beside the archive: the next call removes
            // it
            Path legacy = Files.writeString(cache().resolve("client-25.aotconf.4242.out"), "password=" + canary + "\n");
            Process second = start(broker);
            assertThat(read(second)).isEqualTo("username=u\npassword=" + canary + "\n");
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(legacy).doesNotExist();
            assertNoFileHoldsTheCanary();
        }
    }

    @Test
    void aFirstRunKilledHalfWayLeavesNoPasswordBehind() throws Exception {
        for (boolean forcibly : new boolean[] {false, true}) {
            try (FakeBroker broker = broker(2000)) {
                Process run = start(broker);
                CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(run));
                Instant deadline = Instant.now().plusSeconds(60);
                while (broker.requests().isEmpty() && Instant.now().isBefore(deadline)) Thread.sleep(20);
                assertThat(broker.requests()).as("the JVM asked the broker").isNotEmpty();

                // the JVM is recording and its answer (the password) is on its way: stop the script now
                List<ProcessHandle> children = run.descendants().toList();
                // through the handle: Process.destroy would also close our end of its stdout
                if (forcibly) run.toHandle().destroyForcibly();
                else run.toHandle().destroy();
                for (ProcessHandle child : children) child.onExit().get(60, TimeUnit.SECONDS);
                assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
                out.get(60, TimeUnit.SECONDS);

                assertNoFileHoldsTheCanary();
                assertTheCacheIsTheUsersAlone();
            }
        }
    }
}
