package io.authrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.authrelay.server.home.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/authrelay's JDK AOT cache (bin/lib/aot-cache.sh, aot-train.sh) on an installed layout whose dist/lib holds a
 * stand-in {@code io.authrelay.cli.Main}: a cache is trained on a throwaway home without the user's environment, is
 * the user's alone, and a cache that is unsafe, stale or corrupt never breaks a run, prints nothing, and is not used.
 * Needs JDK 25 (the AOT cache's one-step training); the launcher runs on the JDK running this test.
 */
class AotCacheLauncherTest {
    private static final String VERSION_LINE = "stand-in authrelay version";

    /** Answers version and status --json on stdout; server makes the home's daemon.sock and exits 0 on SIGTERM. */
    private static final String STAND_IN_MAIN = """
            package io.authrelay.cli;

            import java.net.StandardProtocolFamily;
            import java.net.UnixDomainSocketAddress;
            import java.nio.channels.ServerSocketChannel;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;

            public final class Main {
                public static void main(String[] args) throws Exception {
                    String log = System.getenv("STAND_IN_LOG");
                    if (log != null) {
                        Files.writeString(Path.of(log), args[0] + " token=" + System.getenv("AUTHRELAY_TOKEN")
                                + " url=" + System.getenv("AUTHRELAY_URL") + " home=" + System.getenv("HOME") + "\\n",
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    switch (args[0]) {
                        case "version" -> System.out.println("%s");
                        case "status" -> System.out.println("{}");
                        case "server" -> {
                            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> System.exit(0));
                            ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                            Path home = Files.createDirectories(Path.of(args[2]));
                            socket.bind(UnixDomainSocketAddress.of(home.resolve("daemon.sock")));
                            Thread.sleep(600_000);
                        }
                        default -> System.exit(2);
                    }
                }
            }
            """.formatted(VERSION_LINE);

    @TempDir
    Path dir;

    private Path launcher;
    private Path home;
    private Path cacheHome;
    private Path log;
    private Path jar;

    @BeforeEach
    void install() throws IOException {
        assumeThat(Runtime.version().feature()).as("the AOT cache needs JDK 25").isGreaterThanOrEqualTo(25);
        Path repoBin = Path.of("..", "bin").toAbsolutePath().normalize();
        Path bin = Files.createDirectories(dir.resolve("install/bin/lib"));
        launcher = Files.copy(repoBin.resolve("authrelay"), dir.resolve("install/bin/authrelay"));
        for (String script : List.of("find-java.sh", "aot-cache.sh", "aot-train.sh")) {
            Files.copy(repoBin.resolve("lib").resolve(script), bin.resolve(script));
        }
        Path lib = Files.createDirectories(dir.resolve("install/dist/lib"));
        jar = standInJar(lib.resolve("authrelay-cli.jar"));
        home = Files.createDirectories(dir.resolve("home"));
        cacheHome = home.resolve(".cache");
        log = dir.resolve("stand-in.log");
    }

    private Path standInJar(Path target) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/io/authrelay/cli"));
        Files.writeString(src.resolve("Main.java"), STAND_IN_MAIN);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler()
                .run(
                        null,
                        null,
                        null,
                        "-d",
                        classes.toString(),
                        src.resolve("Main.java").toString());
        assertThat(rc).as("javac").isZero();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            out.putNextEntry(new ZipEntry("io/authrelay/cli/Main.class"));
            Files.copy(classes.resolve("io/authrelay/cli/Main.class"), out);
            out.closeEntry();
        }
        return target;
    }

    private record Run(int exit, String out, String err) {}

    private Run run(Map<String, String> extra, String... args) throws Exception {
        Process process = start(extra, args);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Run(
                process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Process start(Map<String, String> extra, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AUTHRELAY_") || k.startsWith("XDG_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOME", home.toString());
        env.put("TMPDIR", Files.createDirectories(dir.resolve("tmp")).toString());
        env.put("STAND_IN_LOG", log.toString());
        env.putAll(extra);
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private Path aotDir() {
        return cacheHome.resolve("authrelay/aot");
    }

    private List<String> cacheFiles() throws IOException {
        if (!Files.isDirectory(aotDir())) return List.of();
        try (Stream<Path> files = Files.list(aotDir())) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private Path cache(String kind) throws IOException {
        return cacheFiles().stream()
                .filter(n -> n.startsWith(kind + "-") && n.endsWith(".aot"))
                .map(aotDir()::resolve)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " cache in " + aotDir()));
    }

    private Run version(Map<String, String> extra) throws Exception {
        return run(extra, "version");
    }

    private void assertCleanVersion(Run run) {
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(VERSION_LINE + "\n");
    }

    /** A run that must use the cache: -XX:AOTMode=on makes the JVM fail rather than run without it. */
    private void assertTheCacheServes() throws Exception {
        Run run = version(Map.of("AUTHRELAY_JAVA_OPTS", "-XX:AOTMode=on", "AUTHRELAY_AOT_DEBUG", "1"));
        assertCleanVersion(run);
        assertThat(run.err()).contains("aot: using " + cache("cli"));
    }

    private void train() throws Exception {
        assertCleanVersion(version(Map.of("AUTHRELAY_AOT", "foreground")));
        assertThat(cacheFiles()).anyMatch(n -> n.startsWith("cli-")).anyMatch(n -> n.startsWith("server-"));
    }

    @Test
    void aForegroundTrainingMakesPrivateCachesFromAThrowawayHomeWithoutTheUsersSecrets() throws Exception {
        String canary = "arw_canary" + System.nanoTime();
        Run run = version(Map.of(
                "AUTHRELAY_AOT",
                "foreground",
                "AUTHRELAY_TOKEN",
                canary,
                "AUTHRELAY_URL",
                "http://127.0.0.1:1/" + canary));
        assertCleanVersion(run);
        assertThat(run.err()).isEmpty();

        assertThat(cacheFiles()).hasSize(2).allMatch(n -> n.matches("(cli|server)-[0-9a-f]{16}\\.aot"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(aotDir())))
                .isEqualTo("rwx------");
        for (String kind : List.of("cli", "server")) {
            Path cache = cache(kind);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
                    .isEqualTo("rw-------");
            assertThat(PrivateFiles.isOwnerOnly(cache)).isTrue();
            assertThat(new String(Files.readAllBytes(cache), StandardCharsets.ISO_8859_1))
                    .doesNotContain(canary);
        }
        // the training runs (server, status) saw neither the user's token, nor their daemon, nor their HOME
        List<String> training = Files.readAllLines(log).stream()
                .filter(l -> l.startsWith("server") || l.startsWith("status"))
                .toList();
        assertThat(training)
                .hasSize(2)
                .allSatisfy(line ->
                        assertThat(line).contains("token=null", "url=null").doesNotContain("home=" + home + " "));

        assertTheCacheServes();
    }

    @Test
    void theFirstRunAnswersAtOnceAndConcurrentFirstRunsTrainOnce() throws Exception {
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) runs.add(start(Map.of(), "version"));
        for (Process process : runs) {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)
                && (Files.exists(aotDir().resolve("train.lock")) || cacheFiles().size() < 2)) {
            Thread.sleep(200);
        }
        // exactly one training ran: one cache of each kind, no temp file or lock left, one server started
        for (String name : cacheFiles()) {
            if (name.startsWith("failed-")) throw new AssertionError(Files.readString(aotDir().resolve(name)));
        }
        assertThat(cacheFiles()).hasSize(2).allMatch(n -> n.matches("(cli|server)-[0-9a-f]{16}\\.aot"));
        assertThat(Files.readAllLines(log).stream().filter(l -> l.startsWith("server")))
                .hasSize(1);
        assertTheCacheServes();
    }

    @Test
    void anUnsafeCacheIsIgnoredAndTheRunStaysClean() throws Exception {
        train();
        Path cli = cache("cli");
        Path good = Files.copy(cli, dir.resolve("good.aot"));
        Map<String, String> debug = Map.of("AUTHRELAY_AOT_DEBUG", "1");

        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rw--w----"));
        Run groupWritable = version(debug);
        assertCleanVersion(groupWritable);
        assertThat(groupWritable.err()).contains("ignored").contains("writable by others");

        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(aotDir(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Run openDirectory = version(debug);
        assertCleanVersion(openDirectory);
        assertThat(openDirectory.err()).contains("ignored").contains("writable by others");
        Files.setPosixFilePermissions(aotDir(), PosixFilePermissions.fromString("rwx------"));

        Files.delete(cli);
        Files.createSymbolicLink(cli, good);
        Run link = version(debug);
        assertCleanVersion(link);
        assertThat(link.err()).contains("ignored").contains("symbolic link");
        Files.delete(cli);

        // garbage of the right name and mode: the JVM refuses it without a word on stdout, the command still runs
        Files.write(cli, "not an AOT cache".repeat(1000).getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rw-------"));
        Run corrupt = version(Map.of());
        assertCleanVersion(corrupt);
        assertThat(corrupt.err()).isEmpty();
        Files.write(cli, Files.readAllBytes(good));
        Files.setLastModifiedTime(cli, FileTime.from(Instant.now()));
        assertTheCacheServes();
    }

    @Test
    void aCacheOwnedBySomeoneElseIsIgnored() throws Exception {
        assumeThat(System.getProperty("user.name")).as("chown needs root").isEqualTo("root");
        UserPrincipal intruder;
        try {
            intruder = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("authrelay-intruder");
        } catch (IOException e) {
            intruder = null;
        }
        assumeThat(intruder).as("user authrelay-intruder (.ci/run makes it)").isNotNull();
        train();
        Files.setOwner(cache("cli"), intruder);
        Run run = version(Map.of("AUTHRELAY_AOT_DEBUG", "1"));
        assertCleanVersion(run);
        assertThat(run.err()).contains("ignored").contains("not owned by this user");
    }

    @Test
    void newerJarsMakeTheCacheStaleAndOffOrUnwritableMeansNoCache() throws Exception {
        train();
        Path old = cache("cli");
        Thread.sleep(1100); // the shell's -nt compares whole seconds
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now())); // as a rebuild would leave it
        Run stale = version(Map.of("AUTHRELAY_AOT_DEBUG", "1", "AUTHRELAY_AOT", "0"));
        assertCleanVersion(stale);
        assertThat(stale.err()).doesNotContain("aot:");
        Run retrain = version(Map.of("AUTHRELAY_AOT_DEBUG", "1", "AUTHRELAY_AOT", "foreground"));
        assertCleanVersion(retrain);
        assertThat(retrain.err()).contains("stale").contains("training");
        assertTheCacheServes();
        assertThat(cache("cli")).isEqualTo(old); // same jars' content, so the same name, trained again

        // a cache directory that cannot be made (its parent is a file): the command runs, silently
        Path file = Files.writeString(dir.resolve("a-file"), "");
        Run unwritable = version(Map.of("XDG_CACHE_HOME", file.resolve("cache").toString()));
        assertCleanVersion(unwritable);
        assertThat(unwritable.err()).isEmpty();
    }

    @Test
    void aTrainingKeepsTheNewestFourBuildsCachesAndDropsOlderOnes() throws Exception {
        Files.createDirectories(aotDir());
        for (int age = 1; age <= 5; age++) {
            String key = "00000000000000a" + age;
            for (String name : List.of("server-" + key + ".aot", "cli-" + key + ".aot", "failed-" + key)) {
                Path file = Files.writeString(aotDir().resolve(name), "an older build's");
                Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60L * age)));
            }
        }
        train();
        List<String> servers =
                cacheFiles().stream().filter(n -> n.startsWith("server-")).toList();
        assertThat(servers).hasSize(4).contains("server-00000000000000a1.aot", "server-00000000000000a3.aot");
        assertThat(cacheFiles())
                .doesNotContain("server-00000000000000a4.aot", "cli-00000000000000a4.aot", "failed-00000000000000a4")
                .doesNotContain("server-00000000000000a5.aot", "cli-00000000000000a5.aot", "failed-00000000000000a5")
                .contains("cli-00000000000000a3.aot")
                .anyMatch(n -> n.matches("server-[0-9a-f]{16}\\.aot") && !n.startsWith("server-00000000000000a"))
                .anyMatch(n -> n.matches("cli-[0-9a-f]{16}\\.aot") && !n.startsWith("cli-00000000000000a"));
    }
}
